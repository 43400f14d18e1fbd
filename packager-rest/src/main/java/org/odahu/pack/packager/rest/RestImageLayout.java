package org.odahu.pack.packager.rest;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** The server's settings, as the image's environment carries them. */
  private record Server(int port, int timeout, int workers, int threads, String inputMatrix) {}

  /**
   * The ranges the server starts with: a port a container can bind, at least one second, worker and
   * thread.
   */
  private static Server server(PackagingPlan packaging) {
    ImageParts.baseJavaHome(packaging);
    return new Server(
        packaging.integer("port", 5000, 1, 65535),
        packaging.integer("timeout", 60, 1, Integer.MAX_VALUE),
        packaging.integer("workers", 1, 1, Integer.MAX_VALUE),
        packaging.integer("threads", 4, 1, Integer.MAX_VALUE),
        ImageParts.inputMatrix(packaging));
  }

  @Override
  public void checkArguments(PackagingPlan packaging) {
    server(packaging);
  }

  @Override
  public ImagePlan plan(LayoutRequest request) {
    PackagingPlan packaging = request.packaging();
    Server server = server(packaging);
    Map<String, String> environment =
        ImageParts.baseEnvironment(
            request.artifact(),
            APP + "/" + request.artifact().manifest().model().workDir(),
            server.workers());
    environment.put("ODAHU_HOST", packaging.text("host", "0.0.0.0"));
    environment.put("ODAHU_PORT", Integer.toString(server.port()));
    environment.put("ODAHU_TIMEOUT", Integer.toString(server.timeout()));
    environment.put("ODAHU_WORKERS", Integer.toString(server.workers()));
    environment.put("ODAHU_THREADS", Integer.toString(server.threads()));
    environment.put("ODAHU_BATCHING", Boolean.toString(packaging.bool("batching", false)));
    environment.put("ODAHU_INPUT_MATRIX", server.inputMatrix());
    List<FileEntriesLayer> layers = ImageParts.withModel(request, APP);
    List<String> entrypoint =
        new ArrayList<>(
            ImageParts.java(packaging, request.classes(), "org.odahu.pack.server.ServerMain"));
    entrypoint.add(APP);
    return ImageParts.plan(request, layers, environment, entrypoint, server.port(), APP);
  }
}
