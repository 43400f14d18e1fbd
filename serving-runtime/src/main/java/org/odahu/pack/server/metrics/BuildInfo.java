package org.odahu.pack.server.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of odahu-pack this server was built as, written by Maven into a resource. */
public final class BuildInfo {
  private BuildInfo() {}

  /** The product version, e.g. {@code 0.1.0}; {@code unknown} when the resource is missing. */
  public static String version() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
