package org.odahu.pack.packager;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.image.Layers;

/** How one kind of image is laid out: where the model goes, its environment and entrypoint. */
public interface ImageLayout {

  /** Where the Java runtime goes in an image whose base has none. */
  String JAVA_HOME = "/opt/odahu-pack/jre";

  /** Where the runtime jars go in every image. */
  String LIB = "/opt/odahu-pack/lib";

  /** The kind of image this layout builds. */
  ImageKind kind();

  /**
   * The image plan.
   *
   * @param artifact the model
   * @param packaging the packaging and its effective arguments
   * @param base the base image
   * @param runtimeLayers the layers every image shares (Java runtime unless the base has one,
   *     runtime jars), in order
   * @param labels labels every image carries
   */
  ImagePlan plan(
      ModelArtifact artifact,
      PackagingPlan packaging,
      BaseImage base,
      List<FileEntriesLayer> runtimeLayers,
      Map<String, String> labels);

  /**
   * What every image's environment holds: the model's name and version (ODAHU's variables), {@code
   * MODEL_LOCATION}, and the interpreter looked up on the base image's PATH.
   *
   * @param modelLocation where the model's work directory is in the image
   */
  static Map<String, String> baseEnvironment(ModelArtifact artifact, String modelLocation) {
    var model = artifact.manifest().model();
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("ODAHU_MODEL_NAME", model.name());
    environment.put("ODAHU_MODEL_VERSION", model.version());
    environment.put("MODEL_LOCATION", modelLocation);
    environment.put("ODAHU_PYTHON", "python3");
    environment.put("PYTHONUNBUFFERED", "1");
    return environment;
  }

  /**
   * The shared layers followed by the model layer: the artifact at {@code target}, without the
   * files that never belong in an image ({@link Packager#NOT_MODEL_FILES}).
   */
  static List<FileEntriesLayer> withModel(
      List<FileEntriesLayer> runtimeLayers, ModelArtifact artifact, String target) {
    List<FileEntriesLayer> layers = new ArrayList<>(runtimeLayers);
    layers.add(Layers.directory("model", artifact.root(), target, Packager.NOT_MODEL_FILES));
    return layers;
  }

  /**
   * The {@code javaHome} argument: a Java runtime of the base image, or empty when odahu-pack adds
   * its own at {@link #JAVA_HOME}.
   */
  static Optional<String> baseJavaHome(PackagingPlan packaging) {
    String javaHome = packaging.text("javaHome", "");
    return javaHome.isEmpty() ? Optional.empty() : Optional.of(javaHome);
  }

  /** The Java command line every image starts with, up to the main class. */
  static List<String> java(PackagingPlan packaging, String mainClass) {
    return List.of(
        baseJavaHome(packaging).orElse(JAVA_HOME) + "/bin/java",
        "-XX:MaxRAMPercentage=75",
        "-XX:+UseG1GC",
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        LIB + "/*",
        mainClass);
  }
}
