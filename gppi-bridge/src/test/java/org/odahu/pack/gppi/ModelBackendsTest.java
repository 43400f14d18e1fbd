package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.worker.WorkerFactoryProvider;

/** Choosing the runtime; gppi-graalpy is not on this module's class path, as in default images. */
class ModelBackendsTest {

  private static ModelStartupException refused(String runtime) {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("pure"))) {
      BackendOptions options = BackendOptions.builder().runtime(runtime).build();
      return assertThrows(
          ModelStartupException.class, () -> ModelBackends.create(artifact, options));
    }
  }

  @Test
  void graalPyWithoutItsModuleSaysWhatToInstall() {
    assertFalse(ServiceLoader.load(WorkerFactoryProvider.class).iterator().hasNext());
    assertEquals(
        "The GraalPy runtime is not installed: put the gppi-graalpy module and its GraalPy jars on"
            + " the class path (odahu-pack's lib/graalpy directory), or use --runtime cpython",
        refused(BackendOptions.GRAALPY).getMessage());
  }

  @Test
  void unknownRuntime() {
    assertEquals(
        "Unknown model runtime 'jython': use cpython or graalpy", refused("jython").getMessage());
  }
}
