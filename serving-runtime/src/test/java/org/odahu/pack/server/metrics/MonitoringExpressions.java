package org.odahu.pack.server.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL expressions of the shipped rules and dashboard, as a test asks Prometheus them. */
final class MonitoringExpressions {
  /** An alert's expression: what it measures, compared with a threshold. */
  private static final Pattern THRESHOLD =
      Pattern.compile("(?s)^(.*\\S)\\s*(?:>=|<=|==|!=|>|<)\\s*[0-9.]+\\s*$");

  private MonitoringExpressions() {}

  /** Each alert's expression without its threshold (with it, a healthy server has no data). */
  static List<String> alerts() throws IOException {
    List<String> expressions = new ArrayList<>();
    for (JsonNode group : new YAMLMapper().readTree(MonitoringFiles.rules()).get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        expressions.add(lhs(rule.get("expr").asText()));
      }
    }
    return expressions;
  }

  static String alert(String alert) throws IOException {
    for (JsonNode group : new YAMLMapper().readTree(MonitoringFiles.rules()).get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        if (rule.path("alert").asText().equals(alert)) {
          return rule.get("expr").asText();
        }
      }
    }
    throw new AssertionError("no alert " + alert);
  }

  static String lhs(String expression) {
    Matcher threshold = THRESHOLD.matcher(expression.strip());
    assertTrue(threshold.matches(), "not <expression> <comparison> <number>: " + expression);
    return threshold.group(1);
  }

  /** Every target expression of every panel, rows' nested panels included. */
  static List<String> dashboard() throws IOException {
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : new ObjectMapper().readTree(MonitoringFiles.dashboard()).get("panels")) {
      for (JsonNode inner : panel.path("panels")) {
        inner.path("targets").forEach(t -> expressions.add(t.get("expr").asText()));
      }
      panel.path("targets").forEach(t -> expressions.add(t.get("expr").asText()));
    }
    assertTrue(expressions.size() > 30, expressions.toString());
    return expressions;
  }

  static String substitute(String expression, Map<String, String> values) {
    String result = expression;
    for (Map.Entry<String, String> value : values.entrySet()) {
      result = result.replace("$" + value.getKey(), value.getValue());
    }
    assertFalse(result.contains("$"), "unknown variable in " + result);
    return result;
  }
}
