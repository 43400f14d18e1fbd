package org.odahu.pack.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's error panels evaluated by promtool on the series of a healthy server: every
 * prediction answered, MLflow's {@code /health} probe failing (a probe, left out like the others).
 * They show 0, not "No data" (5xx series exist only after the first 5xx) and not the probe.
 */
class DashboardQueriesIT {
  private static final Map<String, String> VARIABLES =
      Map.of("job", "wine", "instance", "a:5000", "__rate_interval", "5m");

  @TempDir Path dir;

  private static String expression(int panelId, String refId) throws Exception {
    for (JsonNode panel : new ObjectMapper().readTree(MonitoringFiles.dashboard()).get("panels")) {
      if (panel.get("id").asInt() == panelId) {
        for (JsonNode target : panel.get("targets")) {
          if (target.get("refId").asText().equals(refId)) {
            return MonitoringExpressions.substitute(target.get("expr").asText(), VARIABLES);
          }
        }
      }
    }
    throw new AssertionError("no panel " + panelId + " target " + refId);
  }

  private static String zeroAt10m(String expression) {
    return "      - expr: '"
        + expression.replace("'", "''")
        + "'\n"
        + "        eval_time: 10m\n"
        + "        exp_samples:\n"
        + "          - labels: '{}'\n"
        + "            value: 0\n";
  }

  @Test
  void theErrorPanelsOfAHealthyServerShowZero() throws Exception {
    String tests =
        "rule_files: []\n"
            + "evaluation_interval: 1m\n"
            + "tests:\n"
            + "  - interval: 1m\n"
            + "    input_series:\n"
            + "      - series: 'odahu_http_requests_total{job=\"wine\", instance=\"a:5000\","
            + " route=\"/api/model/invoke\", method=\"POST\", status=\"200\"}'\n"
            + "        values: '0+60x15'\n"
            + "      - series: 'odahu_http_requests_total{job=\"wine\", instance=\"a:5000\","
            + " route=\"/health\", method=\"GET\", status=\"503\"}'\n"
            + "        values: '0+6x15'\n"
            + "    promql_expr_test:\n"
            // The "Errors" stat, and the "Errors" time series' 5xx and 4xx shares.
            + zeroAt10m(expression(5, "A"))
            + zeroAt10m(expression(9, "A"))
            + zeroAt10m(expression(9, "B"));
    Files.writeString(dir.resolve("dashboard.test.yaml"), tests);
    Promtool.Result result = Promtool.run(dir, "", "test", "rules", "dashboard.test.yaml");
    assertEquals(0, result.exitCode(), result.output() + "\n" + tests);
    assertTrue(result.output().contains("SUCCESS"), result.output());
  }
}
