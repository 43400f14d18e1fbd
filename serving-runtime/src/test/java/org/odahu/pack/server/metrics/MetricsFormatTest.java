package org.odahu.pack.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsFormatTest {
  /** What Prometheus 2.42 (Debian 12) sends when it scrapes. */
  static final String PROMETHEUS_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  @Test
  void prometheusGetsOpenMetrics() {
    assertEquals(MetricsFormat.OPENMETRICS, MetricsFormat.negotiate(PROMETHEUS_ACCEPT));
    assertEquals(
        MetricsFormat.OPENMETRICS, MetricsFormat.negotiate("Application/OpenMetrics-Text"));
  }

  @Test
  void browsersCurlAndOldScrapersGetText() {
    assertEquals(MetricsFormat.TEXT, MetricsFormat.negotiate(null));
    assertEquals(MetricsFormat.TEXT, MetricsFormat.negotiate("*/*"));
    assertEquals(
        MetricsFormat.TEXT,
        MetricsFormat.negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    assertEquals(MetricsFormat.TEXT, MetricsFormat.negotiate("text/plain;version=0.0.4"));
  }

  @Test
  void qualityDecides() {
    assertEquals(
        MetricsFormat.TEXT,
        MetricsFormat.negotiate("application/openmetrics-text;q=0.3, text/plain;q=0.9"));
    assertEquals(
        MetricsFormat.OPENMETRICS,
        MetricsFormat.negotiate("text/plain;q=0.2, application/openmetrics-text; q=0.8"));
    assertEquals(MetricsFormat.TEXT, MetricsFormat.negotiate("application/openmetrics-text;q=0"));
    assertEquals(
        MetricsFormat.TEXT, MetricsFormat.negotiate("application/openmetrics-text;q=banana"));
  }
}
