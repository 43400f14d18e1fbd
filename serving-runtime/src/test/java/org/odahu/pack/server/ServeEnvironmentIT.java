package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.odahu.pack.logging.LogFormat;
import picocli.CommandLine;

/**
 * {@code serve}'s {@code ODAHU_*} environment variables, as the README documents them, read by a
 * child JVM (the environment of this one cannot be set).
 */
class ServeEnvironmentIT {

  /** Parses {@code serve} with the JVM's environment and prints what it configured. */
  public static final class Probe {
    private Probe() {}

    public static void main(String[] args) {
      System.out.print(describe(CommandLine.populateCommand(new ServeCommand(), args).config()));
    }
  }

  /** The settings the environment can set, in a form that is the same in every JVM. */
  static String describe(ServerConfig config) {
    var backend = config.backend();
    return String.join(
        "\n",
        "host=" + config.host(),
        "port=" + config.port(),
        "timeout=" + backend.timeout(),
        "workers=" + backend.workers(),
        "threads=" + config.ioThreads(),
        "maxBody=" + config.maxBodyBytes(),
        "queue=" + backend.queueCapacity(),
        "batching=" + backend.batching(),
        "captureDir=" + config.captureDir(),
        "model=" + config.modelName() + " " + config.modelVersion(),
        "runtime=" + backend.runtime(),
        "python=" + backend.python(),
        "httpLimits=" + config.httpLimits(),
        "accessLogProbes=" + config.accessLogProbes(),
        "logFormat=" + config.logFormat());
  }

  private static String probe(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName(),
                "m.zip"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("ODAHU_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), out);
    return out;
  }

  private static final Map<String, String> EVERY_VARIABLE =
      Map.ofEntries(
          Map.entry("ODAHU_HOST", "127.0.0.2"),
          Map.entry("ODAHU_PORT", "6001"),
          Map.entry("ODAHU_TIMEOUT", "7"),
          Map.entry("ODAHU_WORKERS", "3"),
          Map.entry("ODAHU_THREADS", "5"),
          Map.entry("ODAHU_MAX_BODY_SIZE", "4096"),
          Map.entry("ODAHU_QUEUE_SIZE", "9"),
          Map.entry("ODAHU_BATCHING", "true"),
          Map.entry("ODAHU_MAX_BATCH_ROWS", "16"),
          Map.entry("ODAHU_MAX_BATCH_DELAY_MS", "2"),
          Map.entry("ODAHU_CAPTURE_DIR", "/var/capture"),
          Map.entry("ODAHU_MODEL_NAME", "wine"),
          Map.entry("ODAHU_MODEL_VERSION", "2.0"),
          Map.entry("ODAHU_RUNTIME", "graalpy"),
          Map.entry("ODAHU_PYTHON", "/opt/conda/bin/python"),
          Map.entry("ODAHU_MAX_CONNECTIONS", "50"),
          Map.entry("ODAHU_REQUEST_READ_TIMEOUT", "7"),
          Map.entry("ODAHU_MAX_BUFFERED_BYTES", "8192"),
          Map.entry("ODAHU_ACCESS_LOG_PROBES", "true"),
          Map.entry("ODAHU_LOG_FORMAT", "json"));

  @Test
  void everyDocumentedVariableSetsItsOption() throws Exception {
    ServerConfig expected =
        ServerConfig.builder(Path.of("m.zip"))
            .host("127.0.0.2")
            .port(6001)
            .timeout(Duration.ofSeconds(7))
            .workers(3)
            .ioThreads(5)
            .maxBodyBytes(4096)
            .queueCapacity(9)
            .batching(true)
            .maxBatchRows(16)
            .maxBatchDelay(Duration.ofMillis(2))
            .captureDir(Path.of("/var/capture"))
            .modelName("wine")
            .modelVersion("2.0")
            .runtime("graalpy")
            .python(Path.of("/opt/conda/bin/python"))
            .maxConnections(50)
            .requestReadTimeout(Duration.ofSeconds(7))
            .maxBufferedBytes(8192)
            .accessLogProbes(true)
            .logFormat(LogFormat.JSON)
            .prohibitedHeaders(Set.of())
            .build();
    assertEquals(describe(expected), probe(EVERY_VARIABLE));
  }

  @Test
  void withoutVariablesTheDefaultsApplyAndFlagsBeatVariables() throws Exception {
    assertEquals(describe(ServerConfig.builder(Path.of("m.zip")).build()), probe(Map.of()));
    String flagged = probe(EVERY_VARIABLE, "--no-batching", "--port", "7000");
    assertTrue(flagged.contains("port=7000\n"), flagged);
    assertTrue(flagged.contains("batching=BatchingPolicy[enabled=false,"), flagged);
  }
}
