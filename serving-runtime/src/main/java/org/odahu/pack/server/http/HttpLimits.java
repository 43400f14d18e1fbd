package org.odahu.pack.server.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.gppi.InvalidOptionsException.Problem;

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
  /** Open connections unless set. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

  /** Seconds a client may take to send one whole request unless set. */
  public static final long DEFAULT_REQUEST_READ_TIMEOUT_SECONDS = 60;

  /** Buffered request body bytes unless set: {@code 0}, sized by the heap. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 0;

  /** The {@code DEFAULT_*} limits. */
  public static final HttpLimits DEFAULTS =
      new HttpLimits(
          DEFAULT_MAX_CONNECTIONS,
          Duration.ofSeconds(DEFAULT_REQUEST_READ_TIMEOUT_SECONDS),
          DEFAULT_MAX_BUFFERED_BYTES);

  /**
   * Checks every limit and reports all problems at once.
   *
   * @throws InvalidOptionsException naming each limit out of range by its {@code serve} flag
   */
  public HttpLimits {
    List<Problem> problems = new ArrayList<>();
    if (maxConnections < 1) {
      problems.add(new Problem("--max-connections", "must be at least 1, got " + maxConnections));
    }
    if (requestReadTimeout == null
        || requestReadTimeout.isNegative()
        || requestReadTimeout.isZero()) {
      problems.add(
          new Problem("--request-read-timeout", "must be positive, got " + requestReadTimeout));
    }
    if (maxBufferedBytes < 0) {
      problems.add(
          new Problem("--max-buffered-bytes", "must not be negative, got " + maxBufferedBytes));
    }
    InvalidOptionsException.throwIfAny(problems);
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
