package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher bounds the JVM heap, and ODAHU_PACK_JAVA_OPTS changes the bound. */
class LauncherMemoryIT {

  /** What the JVM says of its settings when {@code odahu-pack --version} runs. */
  private static String vmSettings(String javaOptions) throws Exception {
    ProcessBuilder builder = Launcher.builder("odahu-pack", List.of("--version"));
    builder.environment().put("ODAHU_PACK_JAVA_OPTS", "-XshowSettings:vm " + javaOptions);
    Launcher.Result result = Launcher.run(builder);
    assertEquals(0, result.status(), result.output());
    return result.output();
  }

  @Test
  void theHeapIsBoundedAndTheUsersOptionsWin() throws Exception {
    String bounded = vmSettings("");
    assertTrue(bounded.contains("Max. Heap Size: 1.00G"), bounded);
    String raised = vmSettings("-Xmx3g");
    assertTrue(raised.contains("Max. Heap Size: 3.00G"), raised);
  }
}
