package org.odahu.pack.packager.rest;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.layout.ImageLayout;
import org.odahu.pack.packager.layout.ImageParts;
import org.odahu.pack.packager.layout.LayoutRequest;

/**
 * ODAHU's docker-rest image: the model artifact in {@code /app} (working directory) and the model
 * server as entrypoint, with the packaging's host, port, timeout, workers, threads and batching as
 * {@code ODAHU_*} environment variables (so {@code docker run -e ODAHU_WORKERS=4} overrides them),
 * and the JVM heap's share of the container set for that many workers.
 */
public final class RestImageLayout implements ImageLayout {
  /** Where the artifact goes. */
  public static final String APP = "/app";

  @Override
  public String id() {
    return "docker-rest";
  }

  /** ODAHU's {@code odahu-flow-pack-to-rest} and {@code -to-flask}, odahu-pack's own. */
  @Override
  public Set<String> entrypointSuffixes() {
    return Set.of("to-rest", "to-flask");
  }

  @Override
  public ImagePlan plan(LayoutRequest request) {
    PackagingPlan packaging = request.packaging();
    int port = packaging.integer("port", 5000);
    int workers = packaging.integer("workers", 1);
    if (workers < 1) {
      throw new PackagingException("Argument workers must be at least 1, got " + workers);
    }
    Map<String, String> environment =
        ImageParts.baseEnvironment(
            request.artifact(),
            APP + "/" + request.artifact().manifest().model().workDir(),
            workers);
    environment.put("ODAHU_HOST", packaging.text("host", "0.0.0.0"));
    environment.put("ODAHU_PORT", Integer.toString(port));
    environment.put("ODAHU_TIMEOUT", Integer.toString(packaging.integer("timeout", 60)));
    environment.put("ODAHU_WORKERS", Integer.toString(workers));
    environment.put("ODAHU_THREADS", Integer.toString(packaging.integer("threads", 4)));
    environment.put("ODAHU_BATCHING", Boolean.toString(packaging.bool("batching", false)));
    environment.put("ODAHU_INPUT_MATRIX", packaging.text("inputMatrix", "lists"));
    List<FileEntriesLayer> layers =
        ImageParts.withModel(request.sharedLayers(), request.artifact(), APP);
    List<String> entrypoint =
        new ArrayList<>(
            ImageParts.java(packaging, request.classes(), "org.odahu.pack.server.ServerMain"));
    entrypoint.add(APP);
    return ImageParts.plan(request, layers, environment, entrypoint, port, APP);
  }
}
