package org.odahu.pack.cli.deploy;

import org.odahu.pack.server.metrics.MonitoringFiles;

/**
 * {@code --format grafana-dashboard}: the Grafana dashboard (JSON, Grafana 10 and 11) of odahu-pack
 * servers, the distribution's {@code monitoring/odahu-pack-dashboard.json}: import it in Grafana or
 * provision it; it asks for a Prometheus data source.
 */
final class GrafanaDashboard implements DocumentFormat {
  @Override
  public String name() {
    return "grafana-dashboard";
  }

  @Override
  public String description() {
    return "a Grafana dashboard (JSON) for odahu-pack servers";
  }

  @Override
  public String document(String name) {
    return MonitoringFiles.dashboard();
  }

  @Override
  public String fileName(String name) {
    return MonitoringFiles.DASHBOARD;
  }
}
