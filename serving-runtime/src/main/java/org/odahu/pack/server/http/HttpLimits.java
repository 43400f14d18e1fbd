package org.odahu.pack.server.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the HTTP edge lets clients hold: connections, time to send a request, request bodies in
 * memory at once.
 *
 * @param maxConnections open connections; more are refused at once with 503 (the server lowers it
 *     to what its file descriptor limit allows)
 * @param requestReadTimeout the most a client may take to send one whole request, headers and body,
 *     from its first byte; beyond it 408 and the connection closes
 * @param maxBufferedBytes request body bytes held at once across all connections; beyond it 503
 *     with {@code Retry-After}, before the body is read. {@code 0}: a quarter of the JVM's maximum
 *     heap, and never less than one maximum body
 */
public record HttpLimits(int maxConnections, Duration requestReadTimeout, long maxBufferedBytes) {
  /** Defaults: 10000 connections, 60 s to send a request, buffered bodies sized by the heap. */
  public static final HttpLimits DEFAULTS = new HttpLimits(10_000, Duration.ofSeconds(60), 0);

  /**
   * @throws IllegalArgumentException naming the options that are out of range
   */
  public HttpLimits {
    List<String> problems = new ArrayList<>();
    if (maxConnections < 1) {
      problems.add("--max-connections must be at least 1, got " + maxConnections);
    }
    if (requestReadTimeout == null
        || requestReadTimeout.isNegative()
        || requestReadTimeout.isZero()) {
      problems.add("--request-read-timeout must be positive, got " + requestReadTimeout);
    }
    if (maxBufferedBytes < 0) {
      problems.add("--max-buffered-bytes must not be negative, got " + maxBufferedBytes);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The buffered-bytes bound in force for bodies of at most {@code maxBodyBytes}. */
  public long bufferedBytes(int maxBodyBytes) {
    long configured =
        maxBufferedBytes > 0 ? maxBufferedBytes : Runtime.getRuntime().maxMemory() / 4;
    return Math.max(configured, maxBodyBytes);
  }

  /** These limits with another connection limit. */
  public HttpLimits withMaxConnections(int connections) {
    return new HttpLimits(connections, requestReadTimeout, maxBufferedBytes);
  }
}
