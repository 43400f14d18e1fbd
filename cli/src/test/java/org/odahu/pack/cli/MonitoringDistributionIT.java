package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built distribution ships the alert rules and the dashboard in {@code monitoring/}, the same
 * documents its launcher prints with {@code deploy manifests}: an operator who copies the files and
 * one who pipes the command get one version.
 */
class MonitoringDistributionIT {
  private static final Path MONITORING = Path.of(System.getProperty("odahu.home"), "monitoring");

  @Test
  void prometheusRulesFileIsWhatTheLauncherPrints() throws Exception {
    assertPrints("prometheus-rules", MONITORING.resolve("odahu-pack-rules.yaml"));
  }

  @Test
  void grafanaDashboardFileIsWhatTheLauncherPrints() throws Exception {
    assertPrints("grafana-dashboard", MONITORING.resolve("odahu-pack-dashboard.json"));
  }

  private static void assertPrints(String format, Path shipped) throws Exception {
    Launcher.Result run =
        Launcher.run(
            Launcher.builder("odahu-pack", List.of("deploy", "manifests", "--format", format)));
    assertEquals(0, run.status(), run.output());
    assertEquals(Files.readString(shipped), run.output());
  }
}
