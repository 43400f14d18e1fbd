package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What goes into an image on top of its base: layers (least often changed first), environment,
 * entrypoint, exposed port, labels and working directory. Environment and labels keep the order
 * they are given in, so that the same plan gives the same image config in every JVM.
 *
 * @param base the base image
 * @param layers the layers added, in order
 * @param environment environment variables
 * @param entrypoint the entrypoint
 * @param exposedPort a TCP port to expose, or {@code null}
 * @param labels image labels
 * @param workingDirectory the working directory
 */
public record ImagePlan(
    BaseImage base,
    List<FileEntriesLayer> layers,
    Map<String, String> environment,
    List<String> entrypoint,
    Integer exposedPort,
    Map<String, String> labels,
    String workingDirectory) {
  public ImagePlan {
    layers = List.copyOf(layers);
    // Never Map.copyOf: its iteration order changes from one JVM to the next, and the order in
    // which Jib is handed the variables and labels shows in the image config, hence its digest.
    environment = ordered(environment);
    entrypoint = List.copyOf(entrypoint);
    labels = ordered(labels);
  }

  private static Map<String, String> ordered(Map<String, String> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /**
   * The same plan with {@code extra} variables set after its own (a variable of both takes {@code
   * extra}'s value, in its first place).
   */
  public ImagePlan withEnvironment(Map<String, String> extra) {
    Map<String, String> merged = new LinkedHashMap<>(environment);
    merged.putAll(extra);
    return new ImagePlan(base, layers, merged, entrypoint, exposedPort, labels, workingDirectory);
  }

  /** The same plan on another base. */
  public ImagePlan withBase(BaseImage other) {
    return new ImagePlan(
        other, layers, environment, entrypoint, exposedPort, labels, workingDirectory);
  }
}
