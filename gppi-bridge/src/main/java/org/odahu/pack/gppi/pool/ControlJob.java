package org.odahu.pack.gppi.pool;

import java.util.function.Function;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.SelfCheckReport;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.WireMessages;

/**
 * A queued call that is not a prediction ({@code info()}, the self-check): it runs alone, with an
 * empty request, and its answer frame decodes to {@code T}.
 *
 * @param <T> what the call answers
 */
final class ControlJob<T> extends Job<T> {
  private final int requestType;
  private final int answerType;
  private final Function<byte[], T> decoder;
  private final String call;

  private ControlJob(
      int requestType,
      int answerType,
      Function<byte[], T> decoder,
      String call,
      long enqueuedNanos,
      long timeoutNanos) {
    super(enqueuedNanos, timeoutNanos);
    this.requestType = requestType;
    this.answerType = answerType;
    this.decoder = decoder;
    this.call = call;
  }

  static ControlJob<ModelSchema> info(long enqueuedNanos, long timeoutNanos) {
    return new ControlJob<>(
        Frames.INFO,
        Frames.INFO_RESULT,
        WireMessages::decodeInfo,
        "info()",
        enqueuedNanos,
        timeoutNanos);
  }

  static ControlJob<SelfCheckReport> selfCheck(long enqueuedNanos, long timeoutNanos) {
    return new ControlJob<>(
        Frames.SELF_CHECK,
        Frames.SELF_CHECK_RESULT,
        WireMessages::decodeSelfCheck,
        "the self-check",
        enqueuedNanos,
        timeoutNanos);
  }

  /** What the model is asked, for messages: {@code info()}, {@code the self-check}. */
  @Override
  String call() {
    return call;
  }

  /** The frame type to send. */
  int requestType() {
    return requestType;
  }

  /** Whether {@code replyType} is this call's answer. */
  boolean isAnsweredBy(int replyType) {
    return replyType == answerType;
  }

  /** Completes the call with its answer frame's payload. */
  void settle(byte[] payload) {
    complete(decoder.apply(payload));
  }
}
