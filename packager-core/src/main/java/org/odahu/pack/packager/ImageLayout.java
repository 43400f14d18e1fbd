package org.odahu.pack.packager;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.List;
import java.util.Map;
import org.odahu.pack.gppi.artifact.ModelArtifact;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.ImagePlan;

/** How one kind of image is laid out: where the model goes, its environment and entrypoint. */
public interface ImageLayout {

  /** Where the Java runtime goes in every image. */
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
   * @param runtimeLayers the layers every image shares (Java runtime, runtime jars), in order
   * @param labels labels every image carries
   */
  ImagePlan plan(
      ModelArtifact artifact,
      PackagingPlan packaging,
      BaseImage base,
      List<FileEntriesLayer> runtimeLayers,
      Map<String, String> labels);

  /** The Java command line every image starts with, up to the main class. */
  static List<String> java(String mainClass) {
    return List.of(
        JAVA_HOME + "/bin/java",
        "-XX:MaxRAMPercentage=75",
        "-XX:+UseG1GC",
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        LIB + "/*",
        mainClass);
  }
}
