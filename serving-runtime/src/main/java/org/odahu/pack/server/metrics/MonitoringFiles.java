package org.odahu.pack.server.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Prometheus alerting rules and the Grafana dashboard written for this server's metrics, as
 * shipped in the distribution's {@code monitoring/} directory and printed by {@code odahu-pack
 * deploy manifests}. They live next to the metrics so a test can check every expression against
 * what the server exposes.
 */
public final class MonitoringFiles {
  /** The file name of the rules. */
  public static final String RULES = "odahu-pack-rules.yaml";

  /** The file name of the dashboard. */
  public static final String DASHBOARD = "odahu-pack-dashboard.json";

  private MonitoringFiles() {}

  /** The Prometheus rule file (alerting rules, YAML). */
  public static String rules() {
    return read(RULES);
  }

  /** The Grafana dashboard (JSON, schema of Grafana 10 and 11). */
  public static String dashboard() {
    return read(DASHBOARD);
  }

  private static String read(String name) {
    try (InputStream in = MonitoringFiles.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
