package org.odahu.pack.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this server, as Maven wrote it into {@code server-version.properties}. */
public final class ServerVersion {
  private ServerVersion() {}

  /** The product version, e.g. {@code 0.1.0}; {@code unknown} outside a Maven build. */
  public static String read() {
    try (InputStream in = ServerVersion.class.getResourceAsStream("server-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
