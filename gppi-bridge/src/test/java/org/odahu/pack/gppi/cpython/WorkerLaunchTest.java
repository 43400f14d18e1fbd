package org.odahu.pack.gppi.cpython;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.runtime.Frames;

/** The worker process a launch describes: its command line and environment. */
class WorkerLaunchTest {
  private static WorkerLaunch launch(Map<String, String> environment, boolean ndarray) {
    return new WorkerLaunch(
        Path.of("/usr/bin/python3"),
        "entrypoint",
        Path.of("/m/model"),
        Path.of("/m"),
        65536,
        ndarray,
        environment);
  }

  @Test
  void theCommandLineNamesTheModelAndTheProtocol() {
    ProcessBuilder builder = launch(Map.of(), true).processBuilder(Path.of("/t/gppi_worker.py"));
    assertEquals(
        List.of(
            "/usr/bin/python3",
            "-u",
            "-X",
            "faulthandler",
            "/t/gppi_worker.py",
            "--module",
            "entrypoint",
            "--path",
            "/m/model",
            "--protocol",
            Integer.toString(Frames.PROTOCOL_VERSION),
            "--max-frame",
            "65536",
            "--input-matrix",
            "ndarray"),
        builder.command());
    assertEquals(Path.of("/m").toFile(), builder.directory());
    assertEquals("/m/model", builder.environment().get("MODEL_LOCATION"));
    assertFalse(
        launch(Map.of(), false).processBuilder(Path.of("/t/w.py")).command().contains("ndarray"));
  }

  @Test
  void workersRunOneBlasThreadUnlessTheEnvironmentChooses() {
    assumeTrue(
        System.getenv(WorkerLaunch.BLAS_THREADS) == null
            && System.getenv("OMP_NUM_THREADS") == null,
        "the test's own environment sets the BLAS threads");
    Path script = Path.of("/t/gppi_worker.py");
    assertEquals(
        "1",
        launch(Map.of(), false).processBuilder(script).environment().get("OPENBLAS_NUM_THREADS"));
    assertEquals(
        "4",
        launch(Map.of("OPENBLAS_NUM_THREADS", "4"), false)
            .processBuilder(script)
            .environment()
            .get("OPENBLAS_NUM_THREADS"));
    Map<String, String> omp =
        launch(Map.of("OMP_NUM_THREADS", "2"), false).processBuilder(script).environment();
    assertFalse(omp.containsKey("OPENBLAS_NUM_THREADS"), "OpenBLAS follows OMP_NUM_THREADS then");
  }
}
