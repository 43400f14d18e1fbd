package org.odahu.pack.packager.layout;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.packager.MemoryBudget;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ClassDataArchive;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.image.Layers;

/**
 * What every odahu-pack image has in common, for layouts to build on: where the Java runtime and
 * the jars go, the model layer, the base environment and the Java command line.
 */
public final class ImageParts {
  /** The docker-cli entrypoint's main class (batch prediction, self-check), in serving-runtime. */
  public static final String INVOKE_MAIN = "org.odahu.pack.batch.InvokeMain";

  /** Where the Java runtime goes in an image whose base has none. */
  public static final String JAVA_HOME = "/opt/odahu-pack/jre";

  /** Where the runtime jars go in every image. */
  public static final String LIB = "/opt/odahu-pack/lib";

  /** Where the class-data archive goes in an image with odahu-pack's Java runtime. */
  public static final String CLASS_DATA = "/opt/odahu-pack/class-data";

  /** Files of an artifact directory that never go into an image (mp.json holds secrets). */
  public static final Set<String> NOT_MODEL_FILES = Set.of("mp.json", "result.json");

  /**
   * The uid and gid every image runs as: not root, and with no entry in the base image's {@code
   * /etc/passwd} (the environment gives it a home and a name instead; see {@link
   * #baseEnvironment}). Kubernetes' Pod Security {@code restricted} wants a numeric non-root user.
   */
  public static final int USER_ID = 10001;

  /** {@link #USER_ID} as the image config's {@code User}. */
  public static final String USER = USER_ID + ":" + USER_ID;

  /** The signal that stops a container: the server drains and exits 0 on it. */
  public static final String STOP_SIGNAL = "SIGTERM";

  /** What the server's {@code ODAHU_INPUT_MATRIX} may be. */
  private static final Set<String> INPUT_MATRICES = Set.of("lists", "ndarray");

  /**
   * The only directory an image writes to: temporary files of the JVM (the Python worker script,
   * extracted archives, Netty's native library) and of Python. A container mounts it writable
   * (Kubernetes: an emptyDir) over a read-only root file system; {@code TMPDIR} moves it.
   */
  public static final String TEMP_DIRECTORY = "/tmp";

  private ImageParts() {}

  /**
   * What every image's environment holds, in this order: the model's name and version (ODAHU's
   * variables), {@code MODEL_LOCATION}, the interpreter looked up on the base image's PATH (a
   * dependency layer, whose {@code bin} comes first on it, sets the absolute path its planning
   * found instead: {@link org.odahu.pack.packager.deps.ModelDependencies#imageEnvironment}), and
   * {@code JDK_JAVA_OPTIONS} with the JVM heap's share of the container when {@code workers} Python
   * workers share it ({@link MemoryBudget}). Being a variable, the share can be changed at run time
   * ({@code docker run -e JDK_JAVA_OPTIONS=-XX:MaxRAMPercentage=30}, or {@code -Xmx512m}); the
   * entrypoint's own options cannot be.
   *
   * <p>Then what a read-only root file system and a user without a passwd entry need: {@code
   * TMPDIR} (which the server also makes Java's {@code java.io.tmpdir}), {@code HOME} in it (Java's
   * {@code user.home} would be {@code ?} and Python's {@code ~} stay {@code ~}), a {@code USER} for
   * Python's {@code getpass.getuser()} (it raises without one), and no {@code .pyc} writing: the
   * base image's compiled modules are used as they are, and the model's are compiled in memory.
   *
   * @param modelLocation where the model's work directory is in the image
   * @param workers the Python workers the image runs by default
   */
  public static Map<String, String> baseEnvironment(
      ModelArtifact artifact, String modelLocation, int workers) {
    var model = artifact.manifest().model();
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("ODAHU_MODEL_NAME", model.name());
    environment.put("ODAHU_MODEL_VERSION", model.version());
    environment.put("MODEL_LOCATION", modelLocation);
    environment.put("ODAHU_PYTHON", "python3");
    environment.put("PYTHONUNBUFFERED", "1");
    environment.put("JDK_JAVA_OPTIONS", MemoryBudget.heapOption(workers));
    environment.put("TMPDIR", TEMP_DIRECTORY);
    environment.put("HOME", TEMP_DIRECTORY);
    environment.put("USER", "odahu");
    environment.put("PYTHONDONTWRITEBYTECODE", "1");
    return environment;
  }

  /**
   * The request's shared layers followed by the model layer: the artifact at {@code target},
   * without the files that never belong in an image ({@link #NOT_MODEL_FILES}, and what the
   * packaging itself writes there: {@link LayoutRequest#packagingFiles}).
   */
  public static List<FileEntriesLayer> withModel(LayoutRequest request, String target) {
    List<FileEntriesLayer> layers = new ArrayList<>(request.sharedLayers());
    layers.add(
        Layers.directory(
            "model",
            request.artifact().root(),
            target,
            relative ->
                (relative.getNameCount() == 1 && NOT_MODEL_FILES.contains(relative.toString()))
                    || request.packagingFiles().test(relative)));
    return layers;
  }

  /**
   * An odahu-pack image: {@link #USER} runs it, {@link #STOP_SIGNAL} stops it, and the request's
   * labels are on its config and on its manifest as annotations.
   *
   * @param request what the layout builds from
   * @param layers every layer on top of the base, in order
   * @param environment the environment
   * @param entrypoint the entrypoint
   * @param exposedPort the TCP port the image serves, or {@code null}
   * @param workingDirectory the working directory
   */
  public static ImagePlan plan(
      LayoutRequest request,
      List<FileEntriesLayer> layers,
      Map<String, String> environment,
      List<String> entrypoint,
      Integer exposedPort,
      String workingDirectory) {
    return new ImagePlan(
        request.base(),
        layers,
        environment,
        entrypoint,
        exposedPort,
        request.labels(),
        workingDirectory,
        USER,
        STOP_SIGNAL,
        request.labels());
  }

  /**
   * The {@code javaHome} argument: a Java runtime of the base image, or empty when odahu-pack adds
   * its own at {@link #JAVA_HOME}.
   */
  public static Optional<String> baseJavaHome(PackagingPlan packaging) {
    String javaHome = packaging.text("javaHome", "");
    if (!javaHome.isEmpty() && !javaHome.startsWith("/")) {
      throw new PackagingException(
          "Argument javaHome must be an absolute path in the base image, got '" + javaHome + "'");
    }
    return javaHome.isEmpty() ? Optional.empty() : Optional.of(javaHome);
  }

  /**
   * The {@code inputMatrix} argument ({@code ODAHU_INPUT_MATRIX}): {@code lists} (the default) or
   * {@code ndarray}; the server refuses to start with anything else.
   */
  public static String inputMatrix(PackagingPlan packaging) {
    String inputMatrix = packaging.text("inputMatrix", "lists");
    if (!INPUT_MATRICES.contains(inputMatrix)) {
      throw new PackagingException(
          "Argument inputMatrix must be lists or ndarray, got '" + inputMatrix + "'");
    }
    return inputMatrix;
  }

  /**
   * The command that checks the model inside its image, as docker-cli images' {@code self_check}
   * does (import, {@code init()}, {@code info()}, a prediction on {@code head_input.pkl}), with the
   * image's own Java and runtime jars, whichever layout built it.
   *
   * @param image the image's plan: its {@code MODEL_LOCATION} is the model
   */
  public static List<String> selfCheck(
      PackagingPlan packaging, RuntimeClasses classes, ImagePlan image, ModelArtifact artifact) {
    List<String> command = new ArrayList<>(java(packaging, classes, INVOKE_MAIN));
    command.addAll(
        List.of(
            "--entrypoint",
            artifact.manifest().model().entrypoint(),
            "--model",
            image.environment().get("MODEL_LOCATION"),
            "self_check"));
    return command;
  }

  /**
   * The Java command line every image starts with, up to the main class. The heap's bound is in the
   * environment ({@link #baseEnvironment}), where it can be changed. The serial collector with a
   * small young generation keeps the JVM's resident memory near its live data (G1's own structures
   * alone took ~35 MiB): the server holds almost nothing between requests, so its young generation
   * is 10 MiB (24 MiB was ~20 MiB more resident under load at the same throughput; ~10 MiB live
   * after each collection): a 6 MiB eden and survivor spaces of 2 MiB, which hold what requests in
   * flight keep (with 0.75 MiB they overflowed, and the old generation grew to the heap's bound
   * before its first full collection: 1.1 GB resident after 30 s of 100-row requests at c=64,
   * 107-113 MiB now), and an old generation that starts at 22 MiB rather than at 1/64 of the
   * machine's memory. Batch work holds a few chunks of up to 10,000 rows, which an 8 MiB young
   * generation promotes (a 1M-row file peaked at 331 MiB so against 244 MiB with 24 MiB, and at 493
   * MiB with G1). Every 5 s the JVM gives the C library's free memory back to the system ({@code
   * TrimNativeHeapInterval}, with the JVM odahu-pack ships): the compilers' arenas held ~20 MiB of
   * it after load. The JVM's performance counters stay in memory: in a file they would go to {@code
   * /tmp/hsperfdata_<user>} whatever {@code TMPDIR} says. With odahu-pack's runtime the classes
   * come from the image's class-data archive ({@link ClassDataArchive}), and the JVM's own warnings
   * (e.g. why it could not use that archive) go to stderr, away from the access log.
   */
  public static List<String> java(
      PackagingPlan packaging, RuntimeClasses classes, String mainClass) {
    List<String> command = new ArrayList<>();
    Optional<String> baseJava = baseJavaHome(packaging);
    command.add(baseJava.orElse(JAVA_HOME) + "/bin/java");
    command.add("-XX:+UseSerialGC");
    command.addAll(
        mainClass.equals(INVOKE_MAIN)
            ? List.of("-Xmn24m")
            : List.of("-Xmn10m", "-XX:SurvivorRatio=3", "-Xms32m"));
    if (baseJava.isEmpty()) { // our runtime is JDK 25; a base image's Java may predate the option
      command.add("-XX:TrimNativeHeapInterval=5000");
    }
    command.add("-XX:+PerfDisableSharedMem");
    classes.archive().ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
    command.addAll(List.of("-Xlog:disable", "-Xlog:all=warning:stderr"));
    command.addAll(
        List.of("--enable-native-access=ALL-UNNAMED", "-cp", RuntimeClasses.CLASS_PATH, mainClass));
    return List.copyOf(command);
  }
}
