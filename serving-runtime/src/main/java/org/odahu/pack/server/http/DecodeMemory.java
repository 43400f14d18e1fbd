package org.odahu.pack.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.Map;

/**
 * The heap one request's decoding may build, drawn from the server's {@link BodyBudget}: a body's
 * values become objects (a string, a record, a list slot each), 20 to 100 times the bytes they take
 * in JSON or CSV, so the bound on the bodies alone let one 32 MB request of zeros exhaust a 1 GiB
 * heap. A codec charges each value as it reads it ({@link #counting}); the draw is returned once
 * the body is decoded ({@link #release}), when what it built is handed on in its compact form. One
 * thread at a time (the request's decoding).
 */
public final class DecodeMemory {
  /** No bound: for requests that do not come through the server's edge (tests, tools). */
  public static final DecodeMemory UNBOUNDED = new DecodeMemory(null, 0);

  /**
   * Bytes drawn from the budget at a time, so that a value costs an addition, not a CAS: 1 MiB, or
   * a 64th of a smaller budget.
   */
  private static final long STEP = 1 << 20;

  private final BodyBudget budget;
  private final long bodyBytes;
  private long drawn;
  private long charged;

  /** What {@link #hold} reserved, kept until {@link #releaseHeld}. */
  private long held;

  /**
   * The decoding of a request whose body holds {@code bodyBytes} of {@code budget} already.
   *
   * @param budget the server's budget, or {@code null} for no bound
   */
  DecodeMemory(BodyBudget budget, long bodyBytes) {
    this.budget = budget;
    this.bodyBytes = bodyBytes;
  }

  /**
   * Charges {@code bytes} more of what decoding builds.
   *
   * @throws RequestRejectedException 413 when the request alone would hold more than the whole
   *     budget, 503 when the budget is held by other requests now
   */
  public void charge(long bytes) {
    if (budget == null) {
      return;
    }
    charged += bytes;
    while (charged > drawn) {
      long step = Math.max(Math.min(STEP, budget.capacity() / 64), charged - drawn);
      draw(step);
      drawn += step;
    }
  }

  /** Reserves {@code bytes} more of the budget for this request. */
  private void draw(long bytes) {
    if (bodyBytes + held + drawn + bytes > budget.capacity()) {
      throw new RequestRejectedException(
          413,
          "The request holds more values than the server may decode at once: they would take"
              + " more than the "
              + budget.capacity()
              + " bytes it gives the requests it holds (--max-buffered-bytes). Send fewer"
              + " values per request.");
    }
    if (!budget.tryReserve(bytes)) {
      budget.refused();
      throw new RequestRejectedException(
          new ApiError(
              503,
              "The server is decoding as many requests as its memory allows; retry later",
              Map.of("Retry-After", "1")));
    }
  }

  /** Gives back what decoding drew; the request's body stays reserved until it is answered. */
  public void release() {
    if (budget != null) {
      budget.release(drawn);
    }
    drawn = 0;
    charged = 0;
  }

  /**
   * Reserves {@code bytes} that the decoded input keeps while it waits for a worker and is
   * predicted (a matrix of numbers read into an array), until {@link #releaseHeld}. Exactly those
   * bytes: a request holds them for its whole call, so no step is drawn ahead.
   *
   * @throws RequestRejectedException as {@link #charge}, holding nothing more
   */
  public void hold(long bytes) {
    if (budget == null || bytes <= 0) {
      return;
    }
    draw(bytes);
    held += bytes;
  }

  /** Gives back what {@link #hold} reserved: the request is answered. */
  public void releaseHeld() {
    if (budget != null) {
      budget.release(held);
    }
    held = 0;
  }

  /**
   * {@code parser}, charging {@code bytesPerValue} for every scalar value (and every array or
   * object) it reads: what the codec reading it builds of one, as measured for that codec.
   */
  public JsonParser counting(JsonParser parser, int bytesPerValue) {
    if (budget == null) {
      return parser;
    }
    return new JsonParserDelegate(parser) {
      @Override
      public JsonToken nextToken() throws IOException {
        JsonToken token = delegate.nextToken();
        if (token != null && token != JsonToken.FIELD_NAME && !token.isStructEnd()) {
          charge(bytesPerValue);
        }
        return token;
      }
    };
  }
}
