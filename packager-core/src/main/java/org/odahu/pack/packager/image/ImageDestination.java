package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.nio.file.Path;
import org.odahu.pack.packager.RegistryCredentials;

/** Where a built image goes. */
public sealed interface ImageDestination {

  /** The image reference the destination gives the image. */
  String reference();

  /**
   * A registry. Registries on loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}) may
   * use plain HTTP, as Docker allows; any other only with {@code allowInsecure}.
   *
   * @param reference the full image reference, e.g. {@code localhost:5000/wine-1.0:tag}
   * @param credentials push credentials, or {@code null}
   * @param allowInsecure allow plain HTTP and unverified TLS for any registry of the build (this
   *     one and the base image's)
   */
  record Registry(String reference, RegistryCredentials credentials, boolean allowInsecure)
      implements ImageDestination {}

  /**
   * An image tarball: Docker's {@code docker load} format, or an OCI image layout.
   *
   * @param reference the name recorded in the tarball
   * @param path the file to write
   * @param format Docker or OCI
   */
  record Tarball(String reference, Path path, ImageFormat format) implements ImageDestination {}
}
