package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What goes into an image on top of its base: layers (least often changed first), environment,
 * entrypoint, exposed port, labels, working directory, the user that runs it, the signal that stops
 * it and the annotations of its manifest. Environment, labels and annotations keep the order they
 * are given in, so that the same plan gives the same image in every JVM.
 *
 * @param base the base image
 * @param layers the layers added, in order
 * @param environment environment variables
 * @param entrypoint the entrypoint
 * @param exposedPort a TCP port to expose, or {@code null}
 * @param labels image labels (in the image config)
 * @param workingDirectory the working directory
 * @param user {@code uid:gid} the entrypoint runs as, or {@code null}: the base image's user
 * @param stopSignal the signal that stops a container (e.g. {@code SIGTERM}), or {@code null}: the
 *     runtime's default
 * @param annotations annotations of the image manifest (OCI manifests only: a {@code docker save}
 *     tarball has nowhere to put them)
 */
public record ImagePlan(
    BaseImage base,
    List<FileEntriesLayer> layers,
    Map<String, String> environment,
    List<String> entrypoint,
    Integer exposedPort,
    Map<String, String> labels,
    String workingDirectory,
    String user,
    String stopSignal,
    Map<String, String> annotations) {
  public ImagePlan {
    layers = List.copyOf(layers);
    // Never Map.copyOf: its iteration order changes from one JVM to the next, and the order in
    // which Jib is handed the variables and labels shows in the image config, hence its digest.
    environment = ordered(environment);
    entrypoint = List.copyOf(entrypoint);
    labels = ordered(labels);
    annotations = ordered(annotations);
  }

  /**
   * A plan that runs as its base image says (its user, the runtime's stop signal) and adds no
   * manifest annotations.
   */
  public ImagePlan(
      BaseImage base,
      List<FileEntriesLayer> layers,
      Map<String, String> environment,
      List<String> entrypoint,
      Integer exposedPort,
      Map<String, String> labels,
      String workingDirectory) {
    this(
        base,
        layers,
        environment,
        entrypoint,
        exposedPort,
        labels,
        workingDirectory,
        null,
        null,
        Map.of());
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
    return new ImagePlan(
        base,
        layers,
        merged,
        entrypoint,
        exposedPort,
        labels,
        workingDirectory,
        user,
        stopSignal,
        annotations);
  }

  /** The same plan on another base. */
  public ImagePlan withBase(BaseImage other) {
    return new ImagePlan(
        other,
        layers,
        environment,
        entrypoint,
        exposedPort,
        labels,
        workingDirectory,
        user,
        stopSignal,
        annotations);
  }

  /** What Jib cannot write and odahu-pack adds to the image Jib built. */
  ImageFinish finish() {
    return new ImageFinish(stopSignal, annotations);
  }
}
