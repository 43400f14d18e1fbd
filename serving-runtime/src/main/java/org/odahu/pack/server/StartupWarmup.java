package org.odahu.pack.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.odahu.pack.artifact.ModelManifest;

/**
 * Work done once, on a second thread, while the main thread parses the command line: the classes
 * that start the model come after the command line (a manifest's YAML, the metrics registry), and
 * the Python worker, which takes longest to start, waits for them. Loading and initialising them
 * here, on the other CPU, spawns the worker sooner. It has no effect on anything else: a failure
 * here is ignored, and the real work repeats it all.
 */
final class StartupWarmup implements Runnable {
  private static final String MANIFEST =
      "binaries: {type: python, dependencies: conda, conda_path: m/conda.yaml}\n"
          + "model: {name: warm-up, version: '1', entrypoint: entrypoint, workDir: m}\n";

  static void start() {
    Thread.ofPlatform().daemon().name("odahu-warm-up").start(new StartupWarmup());
  }

  @Override
  public void run() {
    try {
      ModelManifest.parse(MANIFEST);
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
    } catch (RuntimeException | LinkageError ignored) {
      // Only an optimisation: the real start-up reports whatever is wrong.
    }
  }
}
