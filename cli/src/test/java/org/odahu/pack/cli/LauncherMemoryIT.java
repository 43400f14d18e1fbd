package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher bounds the JVM heap, and ODAHU_PACK_JAVA_OPTS changes the bound. */
class LauncherMemoryIT {

  /** What the JVM says of its settings when {@code odahu-pack --version} runs. */
  private static String vmSettings(String javaOptions) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash",
                Path.of(System.getProperty("odahu.home"), "bin", "odahu-pack").toString(),
                "--version")
            .redirectErrorStream(true);
    builder.environment().put("ODAHU_PACK_JAVA_OPTS", "-XshowSettings:vm " + javaOptions);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(1, TimeUnit.MINUTES));
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  @Test
  void theHeapIsBoundedAndTheUsersOptionsWin() throws Exception {
    String bounded = vmSettings("");
    assertTrue(bounded.contains("Max. Heap Size: 1.00G"), bounded);
    String raised = vmSettings("-Xmx3g");
    assertTrue(raised.contains("Max. Heap Size: 3.00G"), raised);
  }
}
