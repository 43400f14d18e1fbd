package org.odahu.pack.packager.cli;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.layout.ImageLayout;
import org.odahu.pack.packager.layout.ImageParts;
import org.odahu.pack.packager.layout.LayoutRequest;

/**
 * ODAHU's docker-cli image: the artifact in {@code /app/gppi}, {@code MODEL_LOCATION} and {@code
 * MODEL_ENTRYPOINT} set as ODAHU sets them, and {@code invoke} as entrypoint, so {@code docker run
 * IMAGE predict /in/request.json /out} works as with ODAHU. The batch CLI runs one Python worker:
 * the JVM heap gets that worker's share of the container.
 */
public final class CliImageLayout implements ImageLayout {
  /** Where the artifact goes. */
  public static final String GPPI = "/app/gppi";

  /**
   * Python workers batch prediction runs with, as ODAHU's CLI predicted in one process; the heap's
   * share of the container is sized for them. Batch predict's own default (a worker per CPU) could
   * start many imports beside a JVM holding half the container; {@code docker run -e
   * ODAHU_WORKERS=N} (with {@code JDK_JAVA_OPTIONS}) asks for more.
   */
  private static final int WORKERS = 1;

  @Override
  public String id() {
    return "docker-cli";
  }

  /** ODAHU's {@code odahu-flow-pack-to-cli}, odahu-pack's own. */
  @Override
  public Set<String> entrypointSuffixes() {
    return Set.of("to-cli");
  }

  /** The image has no server: its Java runtime and its input matrix are all it checks. */
  @Override
  public void checkArguments(PackagingPlan packaging) {
    ImageParts.baseJavaHome(packaging);
    ImageParts.inputMatrix(packaging);
  }

  @Override
  public ImagePlan plan(LayoutRequest request) {
    checkArguments(request.packaging());
    var model = request.artifact().manifest().model();
    Map<String, String> environment =
        ImageParts.baseEnvironment(request.artifact(), GPPI + "/" + model.workDir(), WORKERS);
    environment.put("ODAHU_WORKERS", Integer.toString(WORKERS));
    environment.put("MODEL_ENTRYPOINT", model.entrypoint());
    environment.put("ODAHU_INPUT_MATRIX", ImageParts.inputMatrix(request.packaging()));
    List<FileEntriesLayer> layers = ImageParts.withModel(request, GPPI);
    return ImageParts.plan(
        request,
        layers,
        environment,
        ImageParts.java(request.packaging(), request.classes(), ImageParts.INVOKE_MAIN),
        null,
        "/app");
  }
}
