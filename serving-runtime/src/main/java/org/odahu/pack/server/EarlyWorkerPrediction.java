package org.odahu.pack.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.odahu.pack.artifact.ModelLocation;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import org.odahu.pack.gppi.cpython.WorkerLaunch;

/**
 * The CPython worker a {@code serve} command line will start, guessed from its arguments and the
 * environment before picocli parses them, so that {@link EarlyWorker} can start it while the rest
 * of the server starts. It reads only the options that shape a worker and gives up on anything less
 * plain: the artifact must come first and be a directory (as in images and in {@code odahu-pack
 * serve DIR ...}). A wrong guess costs only the early process, which the pool then kills.
 */
final class EarlyWorkerPrediction {
  /** Arguments after which no server starts, or not through this entry point's workers. */
  private static final Set<String> NO_SERVER =
      Set.of("-h", "--help", "-V", "--version", "--install-deps");

  private EarlyWorkerPrediction() {}

  /** The launch {@code serve args} will most likely use, or {@code null} when it is not clear. */
  static WorkerLaunch predict(String[] args, Map<String, String> environment) {
    if (args.length == 0 || args[0].startsWith("-")) {
      return null;
    }
    for (String arg : args) {
      if (NO_SERVER.contains(arg)) {
        return null;
      }
    }
    String runtime =
        value(args, environment, "--runtime", "ODAHU_RUNTIME", BackendOptions.DEFAULT_RUNTIME);
    if (!BackendOptions.CPYTHON.equals(runtime)) {
      return null;
    }
    int maxBodyBytes =
        Integer.parseInt(
            value(
                args,
                environment,
                "--max-body-size",
                "ODAHU_MAX_BODY_SIZE",
                Integer.toString(ServerConfig.DEFAULT_MAX_BODY_BYTES)));
    String python =
        value(args, environment, "--python", "ODAHU_PYTHON", BackendOptions.DEFAULT_PYTHON);
    String inputMatrix =
        value(args, environment, "--input-matrix", "ODAHU_INPUT_MATRIX", BackendOptions.LISTS);
    // Empty unless the first argument is a directory artifact (an archive is extracted first).
    return ModelLocation.peek(Path.of(args[0]))
        .map(
            model ->
                new WorkerLaunch(
                    Path.of(python),
                    model.entrypoint(),
                    model.workDir(),
                    model.root(),
                    ServerConfigBuilder.frameLimit(maxBodyBytes),
                    BackendOptions.NDARRAY.equals(inputMatrix),
                    Map.of()))
        .orElse(null);
  }

  /**
   * The option's last value ({@code --name VALUE} or {@code --name=VALUE}), else the variable's,
   * else {@code defaultValue}: how picocli resolves the serve command's {@code ${env:...}}
   * defaults.
   */
  private static String value(
      String[] args,
      Map<String, String> environment,
      String option,
      String variable,
      String defaultValue) {
    String value = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(option) && i + 1 < args.length) {
        value = args[++i];
      } else if (args[i].startsWith(option + "=")) {
        value = args[i].substring(option.length() + 1);
      }
    }
    if (value != null) {
      return value;
    }
    String fromEnvironment = environment.get(variable);
    return fromEnvironment == null || fromEnvironment.isEmpty() ? defaultValue : fromEnvironment;
  }
}
