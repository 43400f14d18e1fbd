package org.odahu.pack.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.odahu.pack.artifact.ModelLocation;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import org.odahu.pack.gppi.cpython.WorkerLaunch;

/**
 * The CPython worker a command line will start, guessed from its arguments and the environment
 * before picocli parses them, so that {@link EarlyWorker} can start it while the rest of the
 * program starts: {@code serve}'s first worker (and, through {@link #guess}, that of {@code
 * odahu-pack predict}, {@code info} and {@code gppi test}). It reads only the options that shape a
 * worker and gives up on anything less plain: the artifact must come first (right after a command's
 * name) and be a directory (as in images and in {@code odahu-pack serve DIR ...}). A wrong guess
 * costs only the early process, which the pool then kills.
 */
public final class EarlyWorkerPrediction {
  /** Arguments after which no model runs, or not through this entry point's workers. */
  private static final Set<String> NO_SERVER =
      Set.of("-h", "--help", "-V", "--version", "--install-deps");

  private EarlyWorkerPrediction() {}

  /** The launch {@code serve args} will most likely use, or {@code null} when it is not clear. */
  static WorkerLaunch predict(String[] args, Map<String, String> environment) {
    int maxBodyBytes =
        Integer.parseInt(
            option(
                args,
                environment,
                "--max-body-size",
                "ODAHU_MAX_BODY_SIZE",
                Integer.toString(ServerConfig.DEFAULT_MAX_BODY_BYTES)));
    return guess(args, 0, environment, ServerConfigBuilder.frameLimit(maxBodyBytes), true);
  }

  /**
   * The launch of a command whose artifact is {@code args[artifact]}, or {@code null} when it is
   * not clear: {@code --python} and {@code --runtime} (and {@code --input-matrix} if {@code
   * inputMatrixOption}, else lists) from the arguments or the {@code ODAHU_*} variables, the module
   * and work directory from the artifact's manifest.
   *
   * @param maxFrameBytes the largest message the command's workers exchange
   */
  public static WorkerLaunch guess(
      String[] args,
      int artifact,
      Map<String, String> environment,
      int maxFrameBytes,
      boolean inputMatrixOption) {
    if (artifact >= args.length || args[artifact].startsWith("-")) {
      return null;
    }
    if (noModelRuns(args)) {
      return null;
    }
    String runtime =
        option(args, environment, "--runtime", "ODAHU_RUNTIME", BackendOptions.DEFAULT_RUNTIME);
    if (!BackendOptions.CPYTHON.equals(runtime)) {
      return null;
    }
    Path python = python(args, environment);
    boolean ndarray = inputMatrixOption && ndarray(args, environment);
    // Empty unless the artifact is a directory (an archive is extracted first).
    return ModelLocation.peek(Path.of(args[artifact]))
        .map(
            model ->
                new WorkerLaunch(
                    python,
                    model.entrypoint(),
                    model.workDir(),
                    model.root(),
                    maxFrameBytes,
                    ndarray,
                    Map.of()))
        .orElse(null);
  }

  /** Whether any argument asks for help or the version, or to install dependencies first. */
  public static boolean noModelRuns(String[] args) {
    for (String arg : args) {
      if (NO_SERVER.contains(arg)) {
        return true;
      }
    }
    return false;
  }

  /** The interpreter: {@code --python}, else {@code ODAHU_PYTHON}, else the default. */
  public static Path python(String[] args, Map<String, String> environment) {
    return Path.of(
        option(args, environment, "--python", "ODAHU_PYTHON", BackendOptions.DEFAULT_PYTHON));
  }

  /** Whether {@code --input-matrix}, else {@code ODAHU_INPUT_MATRIX}, asks for numpy arrays. */
  public static boolean ndarray(String[] args, Map<String, String> environment) {
    return BackendOptions.NDARRAY.equals(
        option(args, environment, "--input-matrix", "ODAHU_INPUT_MATRIX", BackendOptions.LISTS));
  }

  /**
   * The option's last value ({@code --name VALUE} or {@code --name=VALUE}), else the variable's,
   * else {@code defaultValue}: how picocli resolves the commands' {@code ${env:...}} defaults.
   */
  public static String option(
      String[] args,
      Map<String, String> environment,
      String option,
      String variable,
      String defaultValue) {
    String value = null;
    for (int i = 0; i < args.length; i++) {
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
