package org.odahu.pack.packager.run;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryTarget;

/**
 * The reference a packaging gives its image, checked as registries and {@code docker load} check it
 * before anything slow starts (the base image, the model's dependencies, the build), and written
 * the one way Docker prints it ({@code docker.io/library/wine:1} is {@code wine:1}).
 */
final class ImageNames {
  /**
   * The longest name (registry and repository, as Docker normalizes it) Docker and registries
   * accept.
   */
  static final int MAX_NAME_LENGTH = 255;

  private static final String DOCKER_HUB = "docker.io";

  /** Docker Hub's registry as Jib names it. */
  private static final String JIB_DOCKER_HUB = "registry-1.docker.io";

  private ImageNames() {}

  /**
   * The canonical reference of an image named {@code rendered} (the rendered {@code template}), in
   * the registry of {@code push} when there is one.
   *
   * @throws PackagingException naming the imageName argument (and the docker-push connection's uri)
   *     when the reference is invalid
   */
  static String reference(String template, String rendered, RegistryTarget push) {
    if (push == null) {
      return canonical(rendered, "The imageName argument '" + shown(template) + "' renders");
    }
    String what =
        "The docker-push connection's uri '"
            + push.uri()
            + "' and the imageName argument '"
            + shown(template)
            + "' make";
    if (rendered.isEmpty()) {
      throw new PackagingException(
          what + " '" + push.uri() + "/', which is not a valid image reference: the name is empty");
    }
    return canonical(push.imageReference(rendered), what);
  }

  private static String canonical(String reference, String what) {
    String prefix = what + " '" + shown(reference) + "', which is not a valid image reference: ";
    if (reference.isEmpty()) {
      throw new PackagingException(prefix + "it is empty");
    }
    if (reference.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new PackagingException(prefix + "it holds white space");
    }
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new PackagingException(
          prefix
              + "a reference is [REGISTRY/]PATH[:TAG], PATH of lower-case letters, digits and the"
              + " separators '.', '_', '__', '-' and '/', TAG of at most 128 letters, digits, '_',"
              + " '.' and '-' (a name variable that renders empty, e.g. one Jinja does not know,"
              + " leaves ':TAG' alone)",
          e);
    }
    if (parsed.isScratch()) {
      throw new PackagingException(prefix + "scratch is a reserved name");
    }
    if (parsed.getDigest().isPresent()) {
      throw new PackagingException(
          prefix + "a digest names an existing image, not one being built: use a tag");
    }
    String name =
        (JIB_DOCKER_HUB.equals(parsed.getRegistry()) ? DOCKER_HUB : parsed.getRegistry())
            + "/"
            + parsed.getRepository();
    if (name.length() > MAX_NAME_LENGTH) {
      throw new PackagingException(
          prefix
              + "its name "
              + name
              + " has "
              + name.length()
              + " characters, more than the "
              + MAX_NAME_LENGTH
              + " registries and docker load accept");
    }
    return parsed.toString();
  }

  /** {@code text} with line breaks and other control characters visible. */
  private static String shown(String text) {
    StringBuilder shown = new StringBuilder();
    text.chars()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> shown.append("\\n");
                case '\r' -> shown.append("\\r");
                case '\t' -> shown.append("\\t");
                default ->
                    shown.append(
                        Character.isISOControl(c) ? String.format("\\u%04X", c) : (char) c);
              }
            });
    return shown.toString();
  }
}
