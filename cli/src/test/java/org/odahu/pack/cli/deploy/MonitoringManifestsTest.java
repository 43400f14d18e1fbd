package org.odahu.pack.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.server.metrics.MonitoringFiles;

/** {@code deploy manifests} for monitoring: the shipped rules and dashboard, no image needed. */
class MonitoringManifestsTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir Path temp;

  @Test
  void prometheusRulesIsTheShippedRuleFile() {
    DeployManifestsTest.Run run =
        DeployManifestsTest.odahuPack("deploy", "manifests", "--format", "prometheus-rules");
    assertEquals(0, run.status(), run.err());
    assertEquals(MonitoringFiles.rules(), run.out());
  }

  @Test
  void grafanaDashboardIsTheShippedDashboard() throws Exception {
    DeployManifestsTest.Run run =
        DeployManifestsTest.odahuPack("deploy", "manifests", "--format", "grafana-dashboard");
    assertEquals(0, run.status(), run.err());
    assertEquals(MonitoringFiles.dashboard(), run.out());
    assertEquals("odahu-pack-server", new ObjectMapper().readTree(run.out()).get("uid").asText());
  }

  @Test
  void prometheusOperatorHoldsTheSameGroupsInAPrometheusRule() throws Exception {
    DeployManifestsTest.Run run =
        DeployManifestsTest.odahuPack(
            "deploy", "manifests", "--format", "prometheus-operator", "--name", "wine-alerts");
    assertEquals(0, run.status(), run.err());
    Map<String, JsonNode> documents = DeployManifestsTest.documents(run.out());
    assertEquals(Set.of("PrometheusRule", "PodMonitor"), documents.keySet());
    JsonNode rule = documents.get("PrometheusRule");
    assertEquals("monitoring.coreos.com/v1", rule.get("apiVersion").asText());
    assertEquals("PrometheusRule", rule.get("kind").asText());
    assertEquals("wine-alerts", rule.at("/metadata/name").asText());
    assertEquals("odahu-pack", rule.at("/metadata/labels/app.kubernetes.io~1managed-by").asText());
    assertEquals(YAML.readTree(MonitoringFiles.rules()).get("groups"), rule.at("/spec/groups"));
    JsonNode monitor = documents.get("PodMonitor");
    assertEquals("monitoring.coreos.com/v1", monitor.get("apiVersion").asText());
    assertEquals("wine-alerts", monitor.at("/metadata/name").asText());
    // The pods of every format: their labels, and their port's name under each platform.
    assertEquals(
        "model-server",
        monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1component").asText());
    assertEquals(
        "odahu-pack",
        monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1managed-by").asText());
    assertEquals("http", monitor.at("/spec/podMetricsEndpoints/0/port").asText());
    assertEquals("user-port", monitor.at("/spec/podMetricsEndpoints/1/port").asText());
    assertEquals("/metrics", monitor.at("/spec/podMetricsEndpoints/0/path").asText());
  }

  @Test
  void outputWritesTheDocumentAsAFile() throws Exception {
    DeployManifestsTest.Run run =
        DeployManifestsTest.odahuPack(
            "deploy", "manifests", "--format", "prometheus-operator", "--output", temp.toString());
    assertEquals(0, run.status(), run.err());
    Path file = temp.resolve("prometheus-operator-odahu-pack.yaml");
    assertEquals(file + System.lineSeparator(), run.out());
    assertEquals(
        List.of("odahu-pack", "odahu-pack"),
        DeployManifestsTest.documents(Files.readString(file)).values().stream()
            .map(document -> document.at("/metadata/name").asText())
            .toList());
  }

  @Test
  void imageFormatsStillNeedAnImageAndNamesStayDnsLabels() {
    DeployManifestsTest.Run noImage = DeployManifestsTest.odahuPack("deploy", "manifests");
    assertEquals(2, noImage.status());
    assertTrue(noImage.err().contains("Missing required option: '--image=REF'"), noImage.err());
    DeployManifestsTest.Run badName =
        DeployManifestsTest.odahuPack(
            "deploy", "manifests", "--format", "prometheus-operator", "--name", "Bad_Name");
    assertEquals(2, badName.status());
    assertTrue(badName.err().contains("--name must be a DNS label"), badName.err());
  }
}
