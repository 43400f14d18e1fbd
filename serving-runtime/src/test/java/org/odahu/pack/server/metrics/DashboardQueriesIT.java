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
    return valueAt10m(expression, 0);
  }

  private static String valueAt10m(String expression, double value) {
    return "      - expr: '"
        + expression.replace("'", "''")
        + "'\n"
        + "        eval_time: 10m\n"
        + "        exp_samples:\n"
        + "          - labels: '{}'\n"
        + "            value: "
        + value
        + "\n";
  }

  private void passes(String tests) throws Exception {
    Files.writeString(dir.resolve("dashboard.test.yaml"), tests);
    Promtool.Result result = Promtool.run(dir, "", "test", "rules", "dashboard.test.yaml");
    assertEquals(0, result.exitCode(), result.output() + "\n" + tests);
    assertTrue(result.output().contains("SUCCESS"), result.output());
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
    passes(tests);
  }

  /** An idle server, only probed: the errors are 0, not NaN (no request to divide by). */
  @Test
  void theErrorPanelsOfAnIdleServerShowZero() throws Exception {
    passes(
        "rule_files: []\n"
            + "evaluation_interval: 1m\n"
            + "tests:\n"
            + "  - interval: 1m\n"
            + "    input_series:\n"
            + "      - series: 'odahu_http_requests_total{job=\"wine\", instance=\"a:5000\","
            + " route=\"/api/model/invoke\", method=\"POST\", status=\"200\"}'\n"
            + "        values: '5x15'\n"
            + "      - series: 'odahu_http_requests_total{job=\"wine\", instance=\"a:5000\","
            + " route=\"/health/ready\", method=\"GET\", status=\"200\"}'\n"
            + "        values: '0+6x15'\n"
            + "    promql_expr_test:\n"
            + zeroAt10m(expression(5, "A"))
            + zeroAt10m(expression(9, "A"))
            + zeroAt10m(expression(9, "B")));
  }

  /**
   * Calls of one row each: the rows and requests per call are 1, not the 0.5 and 0.99 that
   * interpolation inside the first bucket, (0, 1], would give.
   */
  @Test
  void callsOfOneRowShowOneRowPerCall() throws Exception {
    StringBuilder series = new StringBuilder();
    for (String metric :
        new String[] {"odahu_batch_size_rows_bucket", "odahu_batch_requests_bucket"}) {
      for (String le : new String[] {"1.0", "2.0", "4.0", "+Inf"}) {
        series
            .append("      - series: '")
            .append(metric)
            .append("{job=\"wine\", instance=\"a:5000\", le=\"")
            .append(le)
            .append("\"}'\n")
            .append("        values: '0+60x15'\n");
      }
    }
    passes(
        "rule_files: []\n"
            + "evaluation_interval: 1m\n"
            + "tests:\n"
            + "  - interval: 1m\n"
            + "    input_series:\n"
            + series
            + "    promql_expr_test:\n"
            + valueAt10m(expression(16, "A"), 1)
            + valueAt10m(expression(16, "B"), 1)
            + valueAt10m(expression(17, "A"), 1));
  }
}
