package org.odahu.pack.packager.run;

import com.google.cloud.tools.jib.api.ImageReference;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryTarget;
import org.odahu.pack.packager.image.ImageReferences;
import org.odahu.pack.pydeps.common.Redaction;

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
    String shownTemplate = ImageReferences.shown(shortened(template));
    if (push == null) {
      return canonical(rendered, "The imageName argument '" + shownTemplate + "' renders");
    }
    // A login written into the uri is not shown back.
    String uri = Redaction.urls(push.uri());
    String what =
        "The docker-push connection's uri '"
            + uri
            + "' and the imageName argument '"
            + shownTemplate
            + "' make";
    if (rendered.isEmpty()) {
      throw new PackagingException(
          what + " '" + uri + "/', which is not a valid image reference: the name is empty");
    }
    try {
      return canonical(push.imageReference(rendered), what);
    } catch (PackagingException e) {
      if (push.uri().contains("://")) {
        throw new PackagingException(
            e.getMessage()
                + ". A registry uri has no scheme and no login: write HOST[:PORT]/PATH, and put"
                + " the login in the connection's username and password",
            e);
      }
      throw e;
    }
  }

  /**
   * The longest reference that can be valid, a name and a tag ({@code NAME:TAG}; a digest is
   * refused below): longer ones are refused before any pattern reads them, whose time grows faster
   * than their length (a 200,000-character model name held a packager for minutes).
   */
  private static final int MAX_REFERENCE = ImageReferences.MAX_NAME_LENGTH + 1 + 128;

  /**
   * {@code text}, or only its length when it is too long to show: a part of it could cut a login
   * short of the {@code @} that lets it be found and hidden.
   */
  private static String shortened(String text) {
    return text.length() <= MAX_REFERENCE ? text : "<" + text.length() + " characters>";
  }

  private static String canonical(String reference, String what) {
    if (reference.length() > MAX_REFERENCE) {
      throw new PackagingException(
          what
              + " '"
              + shortened(reference)
              + "', which is not a valid image reference: a name has at most "
              + ImageReferences.MAX_NAME_LENGTH
              + " characters and a tag at most 128");
    }
    String prefix =
        what
            + " '"
            + ImageReferences.shown(Redaction.urls(reference))
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
