package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;

/**
 * Image references as Docker and registries accept them: Jib's grammar, no white space, and a name
 * (registry and repository, as Docker normalizes it) of at most 255 characters.
 */
public final class ImageReferences {
  /**
   * The longest name (registry and repository, as Docker normalizes it) Docker and registries
   * accept.
   */
  public static final int MAX_NAME_LENGTH = 255;

  /** What a reference looks like, for messages. */
  public static final String GRAMMAR =
      "a reference is [REGISTRY/]PATH[:TAG][@DIGEST], PATH of lower-case letters, digits and the"
          + " separators '.', '_', '__', '-' and '/', TAG of at most 128 letters, digits, '_', '.'"
          + " and '-'";

  private static final String DOCKER_HUB = "docker.io";

  /** Docker Hub's registry as Jib names it. */
  private static final String JIB_DOCKER_HUB = "registry-1.docker.io";

  private ImageReferences() {}

  /** A reference that is none, and why. */
  public static final class InvalidReferenceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidReferenceException(String reason) {
      super(reason);
    }
  }

  /**
   * Parses {@code reference}.
   *
   * @throws InvalidReferenceException whose message says why it is none, e.g. {@code it holds white
   *     space}
   */
  public static ImageReference parse(String reference) {
    if (reference.isEmpty()) {
      throw new InvalidReferenceException("it is empty");
    }
    if (reference.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new InvalidReferenceException("it holds white space");
    }
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidReferenceException(GRAMMAR);
    }
    if (parsed.isScratch()) {
      throw new InvalidReferenceException("scratch is a reserved name");
    }
    String name =
        (JIB_DOCKER_HUB.equals(parsed.getRegistry()) ? DOCKER_HUB : parsed.getRegistry())
            + "/"
            + parsed.getRepository();
    if (name.length() > MAX_NAME_LENGTH) {
      throw new InvalidReferenceException(
          "its name "
              + name
              + " has "
              + name.length()
              + " characters, more than the "
              + MAX_NAME_LENGTH
              + " registries and docker load accept");
    }
    return parsed;
  }

  /** {@code text} with line breaks and other control characters visible, for messages. */
  public static String shown(String text) {
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
