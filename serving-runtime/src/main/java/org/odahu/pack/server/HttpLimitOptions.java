package org.odahu.pack.server;

import java.time.Duration;
import org.odahu.pack.commandline.Converters;
import org.odahu.pack.server.http.HttpLimits;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s limits of the HTTP edge: body size, connections, request time, buffered bodies.
 */
public final class HttpLimitOptions {
  @Option(
      names = "--max-body-size",
      converter = Converters.PositiveIntBytes.class,
      defaultValue = "${env:ODAHU_MAX_BODY_SIZE:-" + ServerConfig.DEFAULT_MAX_BODY_BYTES + "}",
      paramLabel = "BYTES",
      description =
          "Largest request body; larger ones get 413 (default ${DEFAULT-VALUE}; env ODAHU_MAX_BODY_SIZE).")
  int maxBodyBytes;

  @Option(
      names = "--max-connections",
      converter = Converters.AtLeastOne.class,
      defaultValue = "${env:ODAHU_MAX_CONNECTIONS:-" + HttpLimits.DEFAULT_MAX_CONNECTIONS + "}",
      description =
          "Connections served at once; on more, only health probes and /metrics are answered,"
              + " the rest 503, and the connection closes. Lowered to what the file descriptor"
              + " limit allows (default ${DEFAULT-VALUE}; env ODAHU_MAX_CONNECTIONS).")
  int maxConnections;

  @Option(
      names = "--request-read-timeout",
      converter = Converters.PositiveSeconds.class,
      defaultValue =
          "${env:ODAHU_REQUEST_READ_TIMEOUT:-"
              + HttpLimits.DEFAULT_REQUEST_READ_TIMEOUT_SECONDS
              + "}",
      paramLabel = "SECONDS",
      description =
          "Longest a client may take to send one whole request, headers and body; then 408 and"
              + " the connection closes (default ${DEFAULT-VALUE}; env ODAHU_REQUEST_READ_TIMEOUT).")
  long requestReadTimeoutSeconds;

  @Option(
      names = "--max-buffered-bytes",
      converter = Converters.NonNegativeBytes.class,
      defaultValue =
          "${env:ODAHU_MAX_BUFFERED_BYTES:-" + HttpLimits.DEFAULT_MAX_BUFFERED_BYTES + "}",
      paramLabel = "BYTES",
      description =
          "Request body bytes held at once across all connections; beyond it 503 with Retry-After"
              + " before the body is read (default 0: a quarter of the maximum heap, at least"
              + " --max-body-size; env ODAHU_MAX_BUFFERED_BYTES).")
  long maxBufferedBytes;

  /** Sets these options on {@code builder}. */
  void applyTo(ServerConfigBuilder builder) {
    builder
        .maxBodyBytes(maxBodyBytes)
        .maxConnections(maxConnections)
        .requestReadTimeout(Duration.ofSeconds(requestReadTimeoutSeconds))
        .maxBufferedBytes(maxBufferedBytes);
  }
}
