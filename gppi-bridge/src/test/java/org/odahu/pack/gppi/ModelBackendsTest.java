package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.runtime.WorkerFactoryProvider;

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
  void graalPyWithoutItsModuleSaysWhatIsMissing() {
    assertFalse(ServiceLoader.load(WorkerFactoryProvider.class).iterator().hasNext());
    RuntimeNotInstalledException e =
        assertInstanceOf(RuntimeNotInstalledException.class, refused(BackendOptions.GRAALPY));
    assertEquals(
        "The graalpy runtime is not installed: its module (gppi-graalpy) and the jars it needs are"
            + " not on the class path",
        e.getMessage());
    assertEquals("gppi-graalpy", e.module());
  }

  @Test
  void onlyCPythonWorkersGetPackedMatrices() {
    assertEquals(MatrixPacking.FLOATS, BackendOptions.builder().build().packing());
    assertEquals(
        MatrixPacking.NUMBERS,
        BackendOptions.builder().inputMatrix(BackendOptions.NDARRAY).build().packing());
    assertEquals(
        MatrixPacking.NONE,
        BackendOptions.builder().runtime(BackendOptions.GRAALPY).build().packing());
  }

  @Test
  void unknownRuntime() {
    UnknownRuntimeException e = assertInstanceOf(UnknownRuntimeException.class, refused("jython"));
    assertEquals(
        "Unknown model runtime 'jython': the runtimes are cpython and graalpy", e.getMessage());
    assertEquals(List.of("cpython", "graalpy"), e.knownRuntimes());
  }
}
