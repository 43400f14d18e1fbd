package org.odahu.pack.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped alerting rules, checked and unit-tested by Prometheus' own promtool. */
class AlertRulesIT {
  @TempDir Path dir;

  @Test
  void theRulesAreValid() throws Exception {
    Files.writeString(dir.resolve(MonitoringFiles.RULES), MonitoringFiles.rules());
    Promtool.Result result = Promtool.run(dir, "", "check", "rules", MonitoringFiles.RULES);
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("SUCCESS: 9 rules found"), result.output());
  }

  @Test
  void eachAlertFiresWhenItShouldAndOnlyThen() throws Exception {
    Files.writeString(dir.resolve(MonitoringFiles.RULES), MonitoringFiles.rules());
    String tests = "odahu-pack-rules.test.yaml";
    try (InputStream in = AlertRulesIT.class.getResourceAsStream(tests)) {
      Files.copy(in, dir.resolve(tests));
    }
    Promtool.Result result = Promtool.run(dir, "", "test", "rules", tests);
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("SUCCESS"), result.output());
  }
}
