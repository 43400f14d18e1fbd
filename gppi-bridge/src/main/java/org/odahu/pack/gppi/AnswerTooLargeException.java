package org.odahu.pack.gppi;

/**
 * The model answered, but its answer is larger than the largest message a worker may send ({@link
 * BackendOptions#maxFrameBytes()}): no fault of the model's code, and the worker lives on.
 */
public final class AnswerTooLargeException extends GppiException {
  private static final long serialVersionUID = 1L;

  private final long answerBytes;
  private final long maxFrameBytes;

  public AnswerTooLargeException(long answerBytes, long maxFrameBytes) {
    super(
        "The model's answer is "
            + answerBytes
            + " bytes, more than the "
            + maxFrameBytes
            + " bytes a worker may send");
    this.answerBytes = answerBytes;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** The size of the answer as JSON. */
  public long answerBytes() {
    return answerBytes;
  }

  /** The largest answer a worker may send. */
  public long maxFrameBytes() {
    return maxFrameBytes;
  }
}
