package org.odahu.pack.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.odahu.pack.batch.BatchRunner;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import org.odahu.pack.gppi.cpython.WorkerLaunch;
import org.odahu.pack.server.EarlyWorkerPrediction;

/**
 * The model's first worker for {@code predict}, {@code info} and {@code gppi test}, started while
 * picocli builds and parses the command line: their JVM builds the whole command tree before the
 * batch runner asks for a worker, ~0.3 s after the model's import could have begun. The guess is
 * {@link EarlyWorkerPrediction#guess}'s, with the artifact right after the command's name; a wrong
 * one costs only the early process, which the backend then kills.
 */
final class LocalEarlyWorker {
  private LocalEarlyWorker() {}

  /**
   * An early worker the command's backend options may take over, its process being started on a
   * thread of its own when {@code args} predict it; {@link EarlyWorker#NONE} for other commands.
   */
  static EarlyWorker start(String[] args, Map<String, String> environment) {
    if (artifactIndex(args) < 0) {
      return EarlyWorker.NONE;
    }
    String[] copy = args.clone();
    return EarlyWorker.startInBackground(() -> launch(copy, environment));
  }

  /** The launch of the command's first worker, or {@code null} when it is not clear. */
  static WorkerLaunch launch(String[] args, Map<String, String> environment) {
    int artifact = artifactIndex(args);
    if (artifact < 0) {
      return null;
    }
    boolean predict = args[0].equals("predict");
    // predict checks its files before it starts the model: a mistyped input starts nothing.
    if (predict
        && (args.length < 3 || args[2].startsWith("-") || !Files.isReadable(Path.of(args[2])))) {
      return null;
    }
    // Only predict has --input-matrix; info and gppi test send no matrices.
    return EarlyWorkerPrediction.guess(
        args, artifact, environment, BatchRunner.MAX_FRAME_BYTES, predict);
  }

  /** Where the artifact is in {@code args}, or -1 for other commands. */
  private static int artifactIndex(String[] args) {
    if (args.length > 1 && (args[0].equals("predict") || args[0].equals("info"))) {
      return 1;
    }
    return args.length > 2 && args[0].equals("gppi") && args[1].equals("test") ? 2 : -1;
  }
}
