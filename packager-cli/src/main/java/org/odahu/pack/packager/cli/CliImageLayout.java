package org.odahu.pack.packager.cli;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.List;
import java.util.Map;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.packager.ImageKind;
import org.odahu.pack.packager.ImageLayout;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.ImagePlan;

/**
 * ODAHU's docker-cli image: the artifact in {@code /app/gppi}, {@code MODEL_LOCATION} and {@code
 * MODEL_ENTRYPOINT} set as ODAHU sets them, and {@code invoke} as entrypoint, so {@code docker run
 * IMAGE predict /in/request.json /out} works as with ODAHU.
 */
public final class CliImageLayout implements ImageLayout {
  /** Where the artifact goes. */
  public static final String GPPI = "/app/gppi";

  @Override
  public ImageKind kind() {
    return ImageKind.CLI;
  }

  @Override
  public ImagePlan plan(
      ModelArtifact artifact,
      PackagingPlan packaging,
      BaseImage base,
      List<FileEntriesLayer> runtimeLayers,
      Map<String, String> labels) {
    var model = artifact.manifest().model();
    Map<String, String> environment =
        ImageLayout.baseEnvironment(artifact, GPPI + "/" + model.workDir());
    environment.put("MODEL_ENTRYPOINT", model.entrypoint());
    List<FileEntriesLayer> layers = ImageLayout.withModel(runtimeLayers, artifact, GPPI);
    return new ImagePlan(
        base,
        layers,
        environment,
        ImageLayout.java(packaging, "org.odahu.pack.server.batch.InvokeMain"),
        null,
        labels,
        "/app");
  }
}
