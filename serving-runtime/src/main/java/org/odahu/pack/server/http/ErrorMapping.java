package org.odahu.pack.server.http;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.odahu.pack.gppi.AnswerTooLargeException;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.QueueFullException;
import org.odahu.pack.gppi.WorkerCrashedException;
import org.odahu.pack.logging.ContextLogger;
import org.odahu.pack.logging.LogContext;

/**
 * The one place where failures become HTTP statuses and messages, for every API (each writes the
 * {@link ApiError} in its own format).
 */
public final class ErrorMapping {
  /** The status of a request whose client hung up before its answer, as nginx logs it. */
  public static final int CLIENT_CLOSED = 499;

  private static final ContextLogger LOG = ContextLogger.of(ErrorMapping.class);

  private ErrorMapping() {}

  /**
   * The error for {@code failure} of request {@code requestId}. Model exceptions (with their Python
   * traceback), worker crashes (with their details, which clients do not see) and unexpected
   * failures are logged.
   */
  public static ApiError toError(Throwable failure, String requestId) {
    return toError(failure, LogContext.request(requestId));
  }

  /**
   * As {@link #toError(Throwable, String)}, for the request and model {@code context} names (its
   * lines carry the context).
   */
  public static ApiError toError(Throwable failure, LogContext context) {
    String requestId = context.requestId();
    Throwable cause = unwrap(failure);
    if (cause instanceof RequestRejectedException rejected) {
      return rejected.error();
    }
    if (cause instanceof CancellationException) {
      // Its client hung up first (HangUp): no one reads this answer.
      return ApiError.of(CLIENT_CLOSED, "The client closed the connection before the answer");
    }
    if (cause instanceof InvalidInputException) {
      return ApiError.of(400, cause.getMessage());
    }
    if (cause instanceof ModelPredictionException model) {
      LOG.log(
          System.Logger.Level.WARNING,
          context,
          "Request {0}: the model raised {1}: {2}\n{3}",
          requestId,
          model.pythonType(),
          model.getMessage(),
          String.valueOf(model.pythonTraceback()).stripTrailing());
      // "Exception during prediction: ..." as ODAHU's; "Exception during info(): ..." for info().
      return new ApiError(
          500, "Exception during " + model.call() + ": " + cause.getMessage(), Map.of(), true);
    }
    if (cause instanceof AnswerTooLargeException) {
      // The model did nothing wrong: the server's limit on a worker's answers stopped it.
      LOG.log(
          System.Logger.Level.WARNING, context, "Request {0}: {1}", requestId, cause.getMessage());
      return ApiError.of(
          500,
          cause.getMessage()
              + ": the server's --max-body-size sets that limit (twice it, at least 64 MiB)");
    }
    if (cause instanceof WorkerCrashedException crash) {
      LOG.log(
          System.Logger.Level.WARNING, context, "Request {0}: {1}", requestId, cause.getMessage());
      return ApiError.of(500, "Model worker died during " + crash.call());
    }
    if (cause instanceof PredictionTimeoutException) {
      // Which requests cost the worker: its "lost" line cannot say, the calls' ids are here.
      LOG.log(
          System.Logger.Level.WARNING, context, "Request {0}: {1}", requestId, cause.getMessage());
      return ApiError.of(504, cause.getMessage());
    }
    if (cause instanceof QueueFullException) {
      return new ApiError(503, cause.getMessage(), Map.of("Retry-After", "1"));
    }
    if (cause instanceof BackendNotReadyException) {
      return new ApiError(503, cause.getMessage(), Map.of("Retry-After", "5"));
    }
    LOG.log(
        System.Logger.Level.ERROR,
        context,
        cause,
        "Unexpected failure while serving request {0}",
        requestId);
    return ApiError.of(500, "Internal server error");
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
