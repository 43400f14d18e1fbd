package org.odahu.pack.packager;

import java.util.Locale;
import org.odahu.pack.packager.manifest.PackagingIntegrationSpec;

/** The two images odahu-pack builds. */
public enum ImageKind {
  /** ODAHU's docker-rest: an image whose entrypoint is the HTTP model server. */
  REST,
  /** ODAHU's docker-cli: an image whose entrypoint is the batch {@code invoke} command. */
  CLI;

  /**
   * The image an integration builds: by id ({@code docker-rest}, {@code docker-cli}) or by its
   * entrypoint's name (ODAHU's {@code odahu-flow-pack-to-rest}, {@code -to-flask}, {@code
   * -to-cli}).
   */
  public static ImageKind of(PackagingIntegrationSpec integration) {
    String id = String.valueOf(integration.id()).toLowerCase(Locale.ROOT);
    String entrypoint = String.valueOf(integration.spec().entrypoint()).toLowerCase(Locale.ROOT);
    if (id.equals("docker-rest")
        || entrypoint.endsWith("to-rest")
        || entrypoint.endsWith("to-flask")) {
      return REST;
    }
    if (id.equals("docker-cli") || entrypoint.endsWith("to-cli")) {
      return CLI;
    }
    throw new PackagingException(
        "Packaging integration '"
            + integration.id()
            + "' is not supported: odahu-pack builds docker-rest and docker-cli images");
  }
}
