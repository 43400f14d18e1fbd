package org.odahu.pack.gppi.cpython;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.runtime.Frames;

/**
 * Everything that makes one CPython worker process what it is, apart from the copy of the worker
 * script it runs: two launches that are equal start equivalent workers.
 *
 * @param python the interpreter
 * @param module the model's entrypoint module
 * @param workDir the model's work directory, on {@code sys.path} and in {@code MODEL_LOCATION}
 * @param root the artifact root, the worker's working directory
 * @param maxFrameBytes the largest message either side may send
 * @param ndarray whether numeric matrices arrive as numpy arrays
 * @param environment variables added to the inherited environment
 */
public record WorkerLaunch(
    Path python,
    String module,
    Path workDir,
    Path root,
    int maxFrameBytes,
    boolean ndarray,
    Map<String, String> environment) {

  /** OpenBLAS's thread count, 1 in workers unless set (or {@code OMP_NUM_THREADS} is). */
  public static final String BLAS_THREADS = "OPENBLAS_NUM_THREADS";

  public WorkerLaunch {
    environment = Map.copyOf(environment);
  }

  /** How {@code options} start workers of {@code artifact}. */
  public static WorkerLaunch of(ModelArtifact artifact, BackendOptions options) {
    return new WorkerLaunch(
        options.python(),
        artifact.manifest().model().entrypoint(),
        artifact.workDir(),
        artifact.root(),
        options.maxFrameBytes(),
        options.ndarray(),
        options.environment());
  }

  /** {@code python -u gppi_worker.py ...} for {@code script}, ready to start. */
  ProcessBuilder processBuilder(Path script) {
    List<String> command =
        new ArrayList<>(
            List.of(
                python.toString(),
                "-u",
                "-X",
                "faulthandler",
                script.toString(),
                "--module",
                module,
                "--path",
                workDir.toString(),
                "--protocol",
                Integer.toString(Frames.PROTOCOL_VERSION),
                "--max-frame",
                Integer.toString(maxFrameBytes)));
    if (ndarray) {
      command.addAll(List.of("--input-matrix", BackendOptions.NDARRAY));
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    Map<String, String> variables = builder.environment();
    variables.put("MODEL_LOCATION", workDir.toString());
    variables.put("PYTHONUNBUFFERED", "1");
    variables.putAll(environment);
    // OpenBLAS starts a thread per CPU the host has (not per CPU the container may use) in each
    // worker, and they spin after every call, taking CPU from the other workers and the server:
    // one BLAS thread per worker unless the environment chooses otherwise.
    if (!variables.containsKey(BLAS_THREADS) && !variables.containsKey("OMP_NUM_THREADS")) {
      variables.put(BLAS_THREADS, "1");
    }
    return builder;
  }
}
