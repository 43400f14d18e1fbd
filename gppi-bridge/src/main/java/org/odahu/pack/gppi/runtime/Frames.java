package org.odahu.pack.gppi.runtime;

/**
 * Message types of the worker protocol (see {@code gppi_worker.py}). A frame is a 4-byte big-endian
 * payload length, a 1-byte type and the payload.
 */
public final class Frames {
  /** The protocol version both sides must speak. */
  public static final int PROTOCOL_VERSION = 3;

  /**
   * Java to Python: predict a matrix (a JSON request, or for a worker started with {@code
   * --input-matrix ndarray} possibly {@linkplain WireMessages#predictRequest packed doubles}).
   */
  public static final int PREDICT = 1;

  /** Java to Python: call {@code info()}. */
  public static final int INFO = 2;

  /** Java to Python: run the GPPI self-check. */
  public static final int SELF_CHECK = 3;

  /** Java to Python: are you there? (empty); an idle worker answers {@link #PONG} at once. */
  public static final int PING = 4;

  /** Java to Python: exit. */
  public static final int SHUTDOWN = 9;

  /** Python to Java: the model is imported and initialised (JSON: protocol, pid, python). */
  public static final int HELLO = 64;

  /** Python to Java: importing or initialising the model failed (JSON error). */
  public static final int INIT_ERROR = 65;

  /**
   * Python to Java: a prediction (binary: columns, one JSON part per request, then the answer's row
   * count, all ones for an answer without rows).
   */
  public static final int RESULT = 66;

  /**
   * Python to Java: a prediction that is an array of numbers (binary: columns, the values and each
   * request's rows); see {@link WireMessages#decodeResult}.
   */
  public static final int PACKED_RESULT = 73;

  /** Python to Java: the model raised (JSON error). */
  public static final int MODEL_ERROR = 67;

  /** Python to Java: {@code info()}'s answer (JSON). */
  public static final int INFO_RESULT = 68;

  /** Python to Java: the self-check's report (JSON). */
  public static final int SELF_CHECK_RESULT = 69;

  /**
   * Python to Java: a merged batch's answer cannot be split back by request: another row count, or
   * not rows by position (u32 rows, then the answer's type name in UTF-8 when that is why).
   */
  public static final int ROW_MISMATCH = 70;

  /** Python to Java: the worker could not understand a frame (JSON error). */
  public static final int PROTOCOL_ERROR = 71;

  /** Python to Java: the answer to {@link #PING} (empty). */
  public static final int PONG = 72;

  private Frames() {}
}
