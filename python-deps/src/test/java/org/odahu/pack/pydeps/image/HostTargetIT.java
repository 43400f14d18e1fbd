package org.odahu.pack.pydeps.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The host's own root (Debian 12 with Debian's python3, numpy, pandas and scikit-learn), read as if
 * it were a base image, agrees with what its real interpreter says about itself.
 */
class HostTargetIT {
  private static final String PYTHON = System.getProperty("odahu.python", "/usr/bin/python3");

  private static List<String> ask(String code) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(PYTHON, "-c", code).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), out);
    return List.of(out.strip().split("\n", -1));
  }

  @Test
  void agreesWithTheInterpreterItself() throws IOException, InterruptedException {
    List<String> truth =
        ask(
            """
        import os, platform, importlib.metadata as m
        print(platform.python_version())
        print(platform.machine())
        print(os.confstr('CS_GNU_LIBC_VERSION').split()[1])
        for name in ('numpy', 'pandas', 'scikit-learn', 'scipy', 'joblib'):
            print(name, m.version(name))
        """);
    TargetEnvironment target =
        new TargetDetector()
            .detect(
                new DirectoryImageRoot(Path.of("/")),
                new TargetHints(TargetHints.DEFAULT_PATH, PYTHON, Optional.empty()));
    assertEquals(truth.get(0), target.pythonVersion());
    assertEquals(truth.get(1), target.architecture());
    assertEquals(
        truth.get(2),
        target.libc().orElseThrow().major() + "." + target.libc().orElseThrow().minor());
    for (String line : truth.subList(3, truth.size())) {
      String[] nameVersion = line.split(" ", -1);
      assertEquals(
          nameVersion[1],
          target
              .installed(nameVersion[0])
              .orElseThrow(() -> new AssertionError(nameVersion[0]))
              .version()
              .toString(),
          line);
    }
    assertTrue(
        target.sitePackages().contains("/usr/lib/python3/dist-packages"),
        target.sitePackages().toString());
  }
}
