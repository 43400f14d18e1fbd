package org.odahu.pack.logging;

/**
 * What a log line is about, beyond its message: the model and, for a line about one request, its
 * request id and W3C trace. Passed explicitly to {@link ContextLogger} where a line is written,
 * never kept per thread: a request's work moves between the I/O thread and the workers' threads.
 * Any field may be {@code null} (unknown).
 *
 * @param modelName the served model's name
 * @param modelVersion the served model's version
 * @param requestId the request's id
 * @param traceId the W3C trace id of the request ({@code traceparent}), 32 hex digits
 * @param spanId the caller's span id ({@code traceparent}'s parent id), 16 hex digits
 */
public record LogContext(
    String modelName, String modelVersion, String requestId, String traceId, String spanId) {

  /** Nothing known. */
  public static final LogContext NONE = new LogContext(null, null, null, null, null);

  /** Lines about a model. */
  public static LogContext model(String name, String version) {
    return new LogContext(name, version, null, null, null);
  }

  /** Lines about one request, known only by its id. */
  public static LogContext request(String requestId) {
    return new LogContext(null, null, requestId, null, null);
  }

  /** This context for request {@code requestId} of trace {@code traceId} (either may be null). */
  public LogContext withRequest(String requestId, String traceId, String spanId) {
    return new LogContext(modelName, modelVersion, requestId, traceId, spanId);
  }
}
