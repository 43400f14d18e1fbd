package org.odahu.pack.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AheadOfTimeCacheTest {
  @Test
  void theCacheIsAssembledWithTheServersJvmOptionsButNotItsRecordingLogsOrAgents() {
    List<String> server =
        List.of(
            "-Xmx1g",
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC",
            "-Xmn10m",
            "-XX:AOTMode=record",
            "-XX:AOTConfiguration=/c/x.aot.7.config",
            "-XX:+DisplayVMOutputToStderr",
            "-Dodahu.aot.cache=/c/x.aot",
            "-Xlog:aot*=off",
            "-XX:StartFlightRecording=filename=/tmp/x.jfr",
            "-javaagent:/a.jar",
            "-agentlib:jdwp=transport=dt_socket",
            "-XX:+UseCompactObjectHeaders");
    assertEquals(
        List.of(
            "-Xmx1g",
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC",
            "-Xmn10m",
            "-XX:+UseCompactObjectHeaders"),
        AheadOfTimeCache.jvmOptions(server));
  }
}
