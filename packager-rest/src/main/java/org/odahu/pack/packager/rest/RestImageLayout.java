package org.odahu.pack.packager.rest;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.packager.ImageKind;
import org.odahu.pack.packager.ImageLayout;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.ImagePlan;

/**
 * ODAHU's docker-rest image: the model artifact in {@code /app} (working directory) and the model
 * server as entrypoint, with the packaging's host, port, timeout, workers and threads as {@code
 * ODAHU_*} environment variables (so {@code docker run -e ODAHU_WORKERS=4} overrides them).
 */
public final class RestImageLayout implements ImageLayout {
  /** Where the artifact goes. */
  public static final String APP = "/app";

  @Override
  public ImageKind kind() {
    return ImageKind.REST;
  }

  @Override
  public ImagePlan plan(
      ModelArtifact artifact,
      PackagingPlan packaging,
      BaseImage base,
      List<FileEntriesLayer> runtimeLayers,
      Map<String, String> labels) {
    int port = packaging.integer("port", 5000);
    Map<String, String> environment =
        ImageLayout.baseEnvironment(artifact, APP + "/" + artifact.manifest().model().workDir());
    environment.put("ODAHU_HOST", packaging.text("host", "0.0.0.0"));
    environment.put("ODAHU_PORT", Integer.toString(port));
    environment.put("ODAHU_TIMEOUT", Integer.toString(packaging.integer("timeout", 60)));
    environment.put("ODAHU_WORKERS", Integer.toString(packaging.integer("workers", 1)));
    environment.put("ODAHU_THREADS", Integer.toString(packaging.integer("threads", 4)));
    List<FileEntriesLayer> layers = ImageLayout.withModel(runtimeLayers, artifact, APP);
    List<String> entrypoint =
        new ArrayList<>(ImageLayout.java(packaging, "org.odahu.pack.server.ServerMain"));
    entrypoint.add(APP);
    return new ImagePlan(base, layers, environment, entrypoint, port, labels, APP);
  }
}
