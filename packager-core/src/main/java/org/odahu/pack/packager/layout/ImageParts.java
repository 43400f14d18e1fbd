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
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.image.Layers;

/**
 * What every odahu-pack image has in common, for layouts to build on: where the Java runtime and
 * the jars go, the model layer, the base environment and the Java command line.
 */
public final class ImageParts {
  /** Where the Java runtime goes in an image whose base has none. */
  public static final String JAVA_HOME = "/opt/odahu-pack/jre";

  /** Where the runtime jars go in every image. */
  public static final String LIB = "/opt/odahu-pack/lib";

  /** Files of an artifact directory that never go into an image (mp.json holds secrets). */
  public static final Set<String> NOT_MODEL_FILES = Set.of("mp.json", "result.json");

  private ImageParts() {}

  /**
   * What every image's environment holds, in this order: the model's name and version (ODAHU's
   * variables), {@code MODEL_LOCATION}, the interpreter looked up on the base image's PATH, and
   * {@code JDK_JAVA_OPTIONS} with the JVM heap's share of the container when {@code workers} Python
   * workers share it ({@link MemoryBudget}). Being a variable, the share can be changed at run time
   * ({@code docker run -e JDK_JAVA_OPTIONS=-XX:MaxRAMPercentage=30}, or {@code -Xmx512m}); the
   * entrypoint's own options cannot be.
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
    return environment;
  }

  /**
   * The shared layers followed by the model layer: the artifact at {@code target}, without the
   * files that never belong in an image ({@link #NOT_MODEL_FILES}).
   */
  public static List<FileEntriesLayer> withModel(
      List<FileEntriesLayer> sharedLayers, ModelArtifact artifact, String target) {
    List<FileEntriesLayer> layers = new ArrayList<>(sharedLayers);
    layers.add(Layers.directory("model", artifact.root(), target, NOT_MODEL_FILES));
    return layers;
  }

  /**
   * The {@code javaHome} argument: a Java runtime of the base image, or empty when odahu-pack adds
   * its own at {@link #JAVA_HOME}.
   */
  public static Optional<String> baseJavaHome(PackagingPlan packaging) {
    String javaHome = packaging.text("javaHome", "");
    return javaHome.isEmpty() ? Optional.empty() : Optional.of(javaHome);
  }

  /**
   * The command that checks the model inside its image, as docker-cli images' {@code self_check}
   * does (import, {@code init()}, {@code info()}, a prediction on {@code head_input.pkl}), with the
   * image's own Java and runtime jars, whichever layout built it.
   *
   * @param image the image's plan: its {@code MODEL_LOCATION} is the model
   */
  public static List<String> selfCheck(
      PackagingPlan packaging, ImagePlan image, ModelArtifact artifact) {
    List<String> command =
        new ArrayList<>(java(packaging, "org.odahu.pack.server.batch.InvokeMain"));
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
   * environment ({@link #baseEnvironment}), where it can be changed.
   */
  public static List<String> java(PackagingPlan packaging, String mainClass) {
    return List.of(
        baseJavaHome(packaging).orElse(JAVA_HOME) + "/bin/java",
        "-XX:+UseG1GC",
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        LIB + "/*",
        mainClass);
  }
}
