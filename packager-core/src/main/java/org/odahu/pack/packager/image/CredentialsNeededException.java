package org.odahu.pack.packager.image;

import org.odahu.pack.packager.PackagingException;

/**
 * A registry refused an image to a build that gave it no credentials; the message says how to give
 * them, which a command may say in its own terms ({@link #giveThemWith}).
 */
public final class CredentialsNeededException extends PackagingException {
  private static final long serialVersionUID = 1L;

  private final String registry;
  private final String image;

  /**
   * @param registry the registry, {@code host[:port]}
   * @param image the image it refused
   * @param how how to give credentials besides {@code docker login}, e.g. {@code a docker-push
   *     target whose connection's uri is R}
   */
  CredentialsNeededException(String registry, String image, String how, Throwable cause) {
    super(
        "The registry "
            + registry
            + " needs credentials for "
            + image
            + ": give them with "
            + how
            + ", or with docker login "
            + registry,
        cause);
    this.registry = registry;
    this.image = image;
  }

  /** The same refusal, saying {@code how} the command gives credentials besides docker login. */
  public CredentialsNeededException giveThemWith(String how) {
    return new CredentialsNeededException(registry, image, how, getCause());
  }
}
