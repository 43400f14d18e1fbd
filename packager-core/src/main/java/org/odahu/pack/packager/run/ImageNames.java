package org.odahu.pack.packager.run;

import com.google.cloud.tools.jib.api.ImageReference;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryTarget;
import org.odahu.pack.packager.image.ImageReferences;

/**
 * The reference a packaging gives its image, checked as registries and {@code docker load} check it
 * before anything slow starts (the base image, the model's dependencies, the build), and written
 * the one way Docker prints it ({@code docker.io/library/wine:1} is {@code wine:1}).
 */
final class ImageNames {
  private ImageNames() {}

  /**
   * The canonical reference of an image named {@code rendered} (the rendered {@code template}), in
   * the registry of {@code push} when there is one.
   *
   * @throws PackagingException naming the imageName argument (and the docker-push connection's uri)
   *     when the reference is invalid
   */
  static String reference(String template, String rendered, RegistryTarget push) {
    String shownTemplate = ImageReferences.shown(template);
    if (push == null) {
      return canonical(rendered, "The imageName argument '" + shownTemplate + "' renders");
    }
    String what =
        "The docker-push connection's uri '"
            + push.uri()
            + "' and the imageName argument '"
            + shownTemplate
            + "' make";
    if (rendered.isEmpty()) {
      throw new PackagingException(
          what + " '" + push.uri() + "/', which is not a valid image reference: the name is empty");
    }
    return canonical(push.imageReference(rendered), what);
  }

  private static String canonical(String reference, String what) {
    String prefix =
        what
            + " '"
            + ImageReferences.shown(reference)
            + "', which is not a valid image reference: ";
    ImageReference parsed;
    try {
      parsed = ImageReferences.parse(reference);
    } catch (ImageReferences.InvalidReferenceException e) {
      String reason = e.getMessage();
      if (reason.equals(ImageReferences.GRAMMAR)) {
        reason +=
            " (a name variable that renders empty, e.g. one Jinja does not know, leaves ':TAG'"
                + " alone)";
      }
      throw new PackagingException(prefix + reason, e);
    }
    if (parsed.getDigest().isPresent()) {
      throw new PackagingException(
          prefix + "a digest names an existing image, not one being built: use a tag");
    }
    return parsed.toString();
  }
}
