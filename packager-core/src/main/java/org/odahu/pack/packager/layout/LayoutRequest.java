package org.odahu.pack.packager.layout;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.BaseImage;

/**
 * What a layout builds an image from.
 *
 * @param artifact the model
 * @param packaging the packaging and its effective arguments
 * @param base the base image
 * @param sharedLayers the layers every image shares, least often changed first (the Java runtime
 *     unless the base has one, the runtime jars, ...); the layout adds the model's on top
 * @param classes where the image's Java finds its classes, for the layout's Java command
 * @param labels what every image says it is, in order: labels of its config and annotations of its
 *     manifest
 * @param packagingFiles which paths of the artifact's directory (relative to it) the packaging
 *     writes itself, e.g. its tarball when that goes into the artifact's directory: never part of
 *     the model
 */
public record LayoutRequest(
    ModelArtifact artifact,
    PackagingPlan packaging,
    BaseImage base,
    List<FileEntriesLayer> sharedLayers,
    RuntimeClasses classes,
    Map<String, String> labels,
    Predicate<Path> packagingFiles) {
  public LayoutRequest {
    sharedLayers = List.copyOf(sharedLayers);
    // Ordered: an image's config must come out the same in every JVM.
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }
}
