package org.odahu.pack.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's structure as Grafana 10 and 11 read it (MonitoringIT runs its queries): unique
 * panel ids, panels on the 24-column grid without overlapping, every query on the dashboard's data
 * source variable, every variable it uses defined.
 */
class DashboardTest {
  private static final Set<String> GRAFANA_VARIABLES = Set.of("__rate_interval");
  private final JsonNode dashboard = read();

  private static JsonNode read() {
    try {
      return new ObjectMapper().readTree(MonitoringFiles.dashboard());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aDashboardOfGrafana10And11() {
    assertTrue(dashboard.get("schemaVersion").asInt() >= 36, "Grafana 9.x or later");
    assertEquals("odahu-pack-server", dashboard.get("uid").asText());
    assertFalse(dashboard.get("title").asText().isBlank());
    assertTrue(dashboard.get("panels").size() > 20);
  }

  @Test
  void panelsHaveUniqueIdsAndShareTheGridWithoutOverlapping() {
    Set<Integer> ids = new HashSet<>();
    Set<String> cells = new HashSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      assertTrue(ids.add(panel.get("id").asInt()), "duplicate id " + panel.get("id"));
      JsonNode grid = panel.get("gridPos");
      int x = grid.get("x").asInt();
      int w = grid.get("w").asInt();
      assertTrue(x >= 0 && w > 0 && x + w <= 24, panel.get("title") + ": " + grid);
      for (int row = grid.get("y").asInt();
          row < grid.get("y").asInt() + grid.get("h").asInt();
          row++) {
        for (int column = x; column < x + w; column++) {
          assertTrue(cells.add(row + ":" + column), panel.get("title") + " overlaps at " + row);
        }
      }
    }
  }

  @Test
  void everyQueryUsesTheDataSourceVariableAndDefinedVariables() {
    Set<String> defined = new HashSet<>(GRAFANA_VARIABLES);
    for (JsonNode variable : dashboard.at("/templating/list")) {
      defined.add(variable.get("name").asText());
    }
    assertTrue(defined.containsAll(List.of("datasource", "job", "instance")), defined.toString());
    Pattern reference = Pattern.compile("\\$(\\w+)");
    int queries = 0;
    for (JsonNode panel : dashboard.get("panels")) {
      if (panel.get("type").asText().equals("row")) {
        continue;
      }
      assertEquals("${datasource}", panel.at("/datasource/uid").asText(), panel.toString());
      Set<String> refIds = new HashSet<>();
      assertFalse(panel.get("targets").isEmpty(), panel.get("title").asText());
      for (JsonNode target : panel.get("targets")) {
        assertTrue(refIds.add(target.get("refId").asText()), panel.get("title").asText());
        assertEquals("${datasource}", target.at("/datasource/uid").asText());
        Matcher used = reference.matcher(target.get("expr").asText());
        while (used.find()) {
          assertTrue(defined.contains(used.group(1)), "undefined $" + used.group(1));
        }
        assertTrue(target.get("expr").asText().contains("job=~\"$job\""), target.toString());
        queries++;
      }
    }
    assertTrue(queries > 30);
  }
}
