package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.BackendTests.await;
import static org.odahu.pack.gppi.BackendTests.failure;
import static org.odahu.pack.gppi.BackendTests.options;
import static org.odahu.pack.gppi.BackendTests.send;
import static org.odahu.pack.gppi.BackendTests.utf8;
import static org.odahu.pack.gppi.BackendTests.with;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * A dependency tree reaches the workers as a {@code site-packages} entry of {@code PYTHONPATH}; its
 * {@code .pth} files work as in a virtual environment pip installed into.
 */
class SiteDirectoriesIT {
  @TempDir Path temp;

  private static String moduleFile(ModelBackend backend, String module) {
    return utf8(
        await(send(backend, "{\"data\":[[\"module\",\"" + module + "\"]]}")).predictionJson());
  }

  @Test
  void thePthFilesOfSitePackagesOnPythonPathAreRun() throws Exception {
    Path site = Files.createDirectories(temp.resolve("tree/site-packages"));
    Path extra = Files.createDirectories(temp.resolve("tree/extra"));
    Files.writeString(extra.resolve("pthmod.py"), "VALUE = 1\n");
    Files.writeString(site.resolve("extra.pth"), "# a comment\n../extra\n");
    // Elsewhere on PYTHONPATH a .pth file stays what Python makes of it: nothing.
    Path other = Files.createDirectories(temp.resolve("other"));
    Path hidden = Files.createDirectories(temp.resolve("hidden"));
    Files.writeString(hidden.resolve("hiddenmod.py"), "VALUE = 2\n");
    Files.writeString(other.resolve("hidden.pth"), hidden + "\n");
    String expected = extra.toRealPath().resolve("pthmod.py").toString();
    with(
        Examples.testModel("unruly"),
        options().environment(Map.of("PYTHONPATH", site + ":" + other)).build(),
        backend -> {
          assertEquals("[\"" + expected + "\"]", moduleFile(backend, "pthmod"));
          Throwable refused = failure(send(backend, "{\"data\":[[\"module\",\"hiddenmod\"]]}"));
          assertTrue(
              refused instanceof ModelPredictionException
                  && refused.getMessage().contains("No module named 'hiddenmod'"),
              String.valueOf(refused));
        });
  }
}
