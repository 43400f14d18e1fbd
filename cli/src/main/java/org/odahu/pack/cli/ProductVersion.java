package org.odahu.pack.cli;

import java.util.List;
import org.odahu.pack.server.metrics.BuildInfo;

/**
 * What {@code --version} prints. No picocli here: {@link OdahuPack#main} answers a lone {@code
 * --version} without loading it.
 */
final class ProductVersion {
  private ProductVersion() {}

  /** The lines {@code --version} prints: the product's version and the Java running it. */
  static List<String> lines() {
    return List.of(
        "odahu-pack " + BuildInfo.version(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
  }
}
