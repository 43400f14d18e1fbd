package org.odahu.pack.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.odahu.pack.artifact.ModelManifest;
import org.odahu.pack.gppi.cpython.EarlyWorker;

/**
 * Work done once, on a second thread, while the main thread parses the command line (about half a
 * second): the Python worker, which takes longest to start, is started at once when the arguments
 * predict it (see {@link EarlyWorkerPrediction}); then the classes that start the server and come
 * after the command line (a manifest's YAML, the metrics registry) are loaded and initialised here,
 * on the other CPU. It changes nothing else: a failure here is ignored, and the real start-up
 * repeats it all.
 */
final class StartupWarmup implements Runnable {
  private static final String MANIFEST =
      "binaries: {type: python, dependencies: conda, conda_path: m/conda.yaml}\n"
          + "model: {name: warm-up, version: '1', entrypoint: entrypoint, workDir: m}\n";

  private final String[] args;
  private final Map<String, String> environment;
  private final EarlyWorker earlyWorker;

  private StartupWarmup(String[] args, Map<String, String> environment, EarlyWorker earlyWorker) {
    this.args = args;
    this.environment = environment;
    this.earlyWorker = earlyWorker;
  }

  /** Starts the warm-up; {@code earlyWorker} is where the predicted worker is started. */
  static void start(String[] args, Map<String, String> environment, EarlyWorker earlyWorker) {
    Thread.ofPlatform()
        .daemon()
        .name("odahu-warm-up")
        .start(new StartupWarmup(args.clone(), environment, earlyWorker));
  }

  @Override
  public void run() {
    try {
      earlyWorker.start(() -> EarlyWorkerPrediction.predict(args, environment));
      ModelManifest.parse(MANIFEST);
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
    } catch (RuntimeException | LinkageError ignored) {
      // Only an optimisation: the real start-up reports whatever is wrong.
    }
  }
}
