package org.odahu.pack.cli.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.odahu.pack.server.metrics.MonitoringFiles;

/**
 * {@code --format prometheus-operator}: the same alerting rules as {@link PrometheusRules}, as a
 * PrometheusRule (monitoring.coreos.com/v1) of the Prometheus Operator, with a PodMonitor that has
 * it scrape the model servers. The operator's Prometheus picks both by label: add the one its
 * {@code ruleSelector} and {@code podMonitorSelector} want (for kube-prometheus-stack, {@code
 * release: <its release>}).
 */
final class PrometheusOperatorRules implements DocumentFormat {
  private static final YAMLMapper YAML = new YAMLMapper();

  @Override
  public String name() {
    return "prometheus-operator";
  }

  @Override
  public String description() {
    return "the alerting rules as a PrometheusRule of the Prometheus Operator, and a PodMonitor"
        + " that scrapes the model servers";
  }

  @Override
  public String document(String name) {
    ManifestYaml yaml = new ManifestYaml();
    return yaml.document(rule(name)) + yaml.document(podMonitor(name));
  }

  @Override
  public String fileName(String name) {
    return name() + "-" + name + ".yaml";
  }

  /**
   * A PodMonitor of the model servers' pods in its namespace (the operator ignores the {@code
   * prometheus.io} annotations): their {@code /metrics} on the port named {@code http} (the
   * Deployment of {@code --format kubernetes}) or {@code user-port} (Knative's name for the
   * container's port, also under KServe).
   */
  static GenericKubernetesResource podMonitor(String name) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put(
        "selector",
        Map.of(
            "matchLabels",
            Map.of(
                "app.kubernetes.io/managed-by", "odahu-pack",
                "app.kubernetes.io/component", "model-server")));
    spec.put(
        "podMetricsEndpoints",
        List.of(
            Map.of("port", ModelPod.PORT_NAME, "path", "/metrics"),
            Map.of("port", "user-port", "path", "/metrics")));
    GenericKubernetesResource monitor =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("monitoring.coreos.com/v1")
            .withKind("PodMonitor")
            .withNewMetadata()
            .withName(name)
            .withLabels(labels(name, "metrics"))
            .endMetadata()
            .build();
    monitor.setAdditionalProperty("spec", spec);
    return monitor;
  }

  private static Map<String, String> labels(String name, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", name);
    labels.put("app.kubernetes.io/component", component);
    labels.put("app.kubernetes.io/managed-by", "odahu-pack");
    return labels;
  }

  /** The PrometheusRule named {@code name} holding the rule file's groups. */
  static GenericKubernetesResource rule(String name) {
    JsonNode groups;
    try {
      groups = YAML.readTree(MonitoringFiles.rules()).get("groups");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> labels = labels(name, "alerting-rules");
    GenericKubernetesResource rule =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("monitoring.coreos.com/v1")
            .withKind("PrometheusRule")
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .build();
    rule.setAdditionalProperty("spec", Map.of("groups", YAML.convertValue(groups, Object.class)));
    return rule;
  }
}
