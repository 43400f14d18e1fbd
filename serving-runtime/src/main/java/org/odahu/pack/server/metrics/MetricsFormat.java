package org.odahu.pack.server.metrics;

import java.util.Locale;

/**
 * The exposition formats {@code /metrics} speaks, and which one a scraper's {@code Accept} header
 * asks for: OpenMetrics when it names {@code application/openmetrics-text} at least as willingly as
 * {@code text/plain} (Prometheus does), Prometheus' text format otherwise.
 */
public enum MetricsFormat {
  /** Prometheus' text format 0.0.4. */
  TEXT("text/plain; version=0.0.4; charset=utf-8"),
  /** OpenMetrics 1.0.0. */
  OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

  private final String contentType;

  MetricsFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The {@code Content-Type} of a response in this format. */
  public String contentType() {
    return contentType;
  }

  /** The format for a request with this {@code Accept} header ({@code null}: none). */
  public static MetricsFormat negotiate(String accept) {
    if (accept == null) {
      return TEXT;
    }
    double openMetrics = 0;
    double text = 0;
    for (String range : accept.split(",", -1)) {
      String[] parts = range.split(";", -1);
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      if (type.equals("application/openmetrics-text")) {
        openMetrics = Math.max(openMetrics, quality(parts));
      } else if (type.equals("text/plain")) {
        text = Math.max(text, quality(parts));
      }
    }
    return openMetrics > 0 && openMetrics >= text ? OPENMETRICS : TEXT;
  }

  /** A media range's {@code q} parameter: 1 when absent, 0 when it is not a number in [0, 1]. */
  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.length() > 2 && parameter.substring(0, 2).equalsIgnoreCase("q=")) {
        try {
          double q = Double.parseDouble(parameter.substring(2).trim());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
