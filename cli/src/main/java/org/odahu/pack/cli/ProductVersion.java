package org.odahu.pack.cli;

import java.util.List;
import org.odahu.pack.server.metrics.BuildInfo;

/**
 * What {@code --version} prints. No picocli here: {@link OdahuPack#main} answers a lone {@code
 * --version} without loading it.
 */
final class ProductVersion {
  private ProductVersion() {}

  /** The product version, e.g. {@code 0.1.0}. */
  static String version() {
    return BuildInfo.version();
  }

  /** The lines {@code --version} prints: the product's version and the Java running it. */
  static List<String> lines() {
    return List.of(
        "odahu-pack " + version(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
  }
}
