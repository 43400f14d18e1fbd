package org.odahu.pack.cli.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.odahu.pack.server.metrics.MonitoringFiles;

/**
 * {@code --format prometheus-operator}: the same alerting rules as {@link PrometheusRules}, as a
 * PrometheusRule (monitoring.coreos.com/v1) of the Prometheus Operator. The operator's Prometheus
 * picks rules by label: add the one its {@code ruleSelector} wants (for kube-prometheus-stack,
 * {@code release: <its release>}).
 */
final class PrometheusOperatorRules implements DocumentFormat {
  private static final YAMLMapper YAML = new YAMLMapper();

  @Override
  public String name() {
    return "prometheus-operator";
  }

  @Override
  public String description() {
    return "the alerting rules as a PrometheusRule of the Prometheus Operator";
  }

  @Override
  public String document(String name) {
    return new ManifestYaml().document(rule(name));
  }

  @Override
  public String fileName(String name) {
    return name() + "-" + name + "-prometheusrule.yaml";
  }

  /** The PrometheusRule named {@code name} holding the rule file's groups. */
  static GenericKubernetesResource rule(String name) {
    JsonNode groups;
    try {
      groups = YAML.readTree(MonitoringFiles.rules()).get("groups");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", name);
    labels.put("app.kubernetes.io/component", "alerting-rules");
    labels.put("app.kubernetes.io/managed-by", "odahu-pack");
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
