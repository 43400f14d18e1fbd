package org.odahu.pack.cli.deploy;

import org.odahu.pack.server.metrics.MonitoringFiles;

/**
 * {@code --format prometheus-rules}: the alerting rules for odahu-pack servers as a Prometheus rule
 * file ({@code rule_files}), the distribution's {@code monitoring/odahu-pack-rules.yaml}.
 */
final class PrometheusRules implements DocumentFormat {
  @Override
  public String name() {
    return "prometheus-rules";
  }

  @Override
  public String description() {
    return "Prometheus alerting rules for odahu-pack servers (a rule file)";
  }

  @Override
  public String document(String name) {
    return MonitoringFiles.rules();
  }

  @Override
  public String fileName(String name) {
    return MonitoringFiles.RULES;
  }
}
