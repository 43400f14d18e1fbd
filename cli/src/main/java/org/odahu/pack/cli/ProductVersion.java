package org.odahu.pack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * The product version that Maven writes into {@code version.properties}, and what {@code --version}
 * prints. No picocli here: {@link OdahuPack#main} answers a lone {@code --version} without loading
 * it.
 */
final class ProductVersion {
  private ProductVersion() {}

  /** The product version, e.g. {@code 0.1.0}. */
  static String version() {
    try (InputStream in = ProductVersion.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines {@code --version} prints: the product's version and the Java running it. */
  static List<String> lines() {
    return List.of(
        "odahu-pack " + version(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
  }
}
