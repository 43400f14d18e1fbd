package org.odahu.pack.packager.image;

import java.nio.file.Files;
import java.nio.file.Path;
import org.odahu.pack.packager.RegistryCredentials;

/**
 * The image to build on: a registry reference (pulled with optional credentials) or a local image
 * tarball in Docker's {@code docker save} format.
 *
 * @param reference the registry reference, or {@code null} for a tarball
 * @param tarball the tarball, or {@code null} for a registry image
 * @param credentials pull credentials, or {@code null}
 */
public record BaseImage(String reference, Path tarball, RegistryCredentials credentials) {

  /** A registry image. */
  public static BaseImage registry(String reference, RegistryCredentials credentials) {
    return new BaseImage(reference, null, credentials);
  }

  /** A local image tarball. */
  public static BaseImage tarball(Path tarball) {
    return new BaseImage(null, tarball, null);
  }

  /**
   * Reads {@code dockerfileBaseImage}: {@code tar://PATH} or an existing file is a tarball,
   * anything else a registry reference, pulled anonymously.
   */
  public static BaseImage parse(String value) {
    if (value.startsWith("tar://")) {
      return tarball(Path.of(value.substring("tar://".length())));
    }
    Path path = Path.of(value);
    if (value.endsWith(".tar") || Files.isRegularFile(path)) {
      return tarball(path);
    }
    return registry(value, null);
  }

  @Override
  public String toString() {
    return tarball != null ? "tar://" + tarball : reference;
  }
}
