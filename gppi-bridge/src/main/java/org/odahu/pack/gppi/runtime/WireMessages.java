package org.odahu.pack.gppi.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.MatrixPacking;
import org.odahu.pack.gppi.MissingModuleException;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.SchemaField;
import org.odahu.pack.gppi.SelfCheckReport;

/** Encodes requests to and decodes replies from {@code gppi_worker.py}, for every runtime. */
public final class WireMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The NUL byte and the header's length before a packed request's header. */
  private static final int PACKED_PREFIX = 5;

  private WireMessages() {}

  /**
   * A decoded {@link Frames#RESULT} or {@link Frames#PACKED_RESULT}: the output columns and one
   * prediction part per request. It is checked whole when decoded; a packed result's parts are
   * written as JSON on the first call to {@link #parts}, so that the pool can send the worker its
   * next call before writing them. For one thread.
   */
  public static final class Result {
    /** {@link #answeredRows()} of a result that does not say. */
    public static final int UNKNOWN_ROWS = -2;

    private final byte[] columnsJson;
    private final int count;
    private final int answeredRows;
    private Packed packed;
    private List<byte[]> parts;
    private List<byte[]> float32Parts;

    private Result(byte[] columnsJson, List<byte[]> parts, int answeredRows) {
      this.columnsJson = columnsJson;
      this.count = parts.size();
      this.parts = parts;
      this.answeredRows = answeredRows;
    }

    private Result(byte[] columnsJson, Packed packed) {
      this.columnsJson = columnsJson;
      this.count = packed.rows().length;
      this.packed = packed;
      int rows = 0;
      for (int part : packed.rows()) {
        rows += part;
      }
      this.answeredRows = rows;
    }

    /**
     * The rows of the model's answer: -1 for an answer without rows (a scalar, a string's length is
     * its row count), {@link #UNKNOWN_ROWS} if the worker did not say.
     */
    public int answeredRows() {
      return answeredRows;
    }

    /** The output columns as JSON; handed over, not copied: this is the hot path. */
    public byte[] columnsJson() {
      return columnsJson;
    }

    /** How many parts: one per request of the call. */
    public int count() {
      return count;
    }

    /** The parts, in the order of the call's requests. */
    public List<byte[]> parts() {
      if (parts == null) {
        parts = packed.render(false);
        float32Parts = packed.type() == 'g' ? packed.render(true) : null;
        packed = null;
      }
      return parts;
    }

    /**
     * For a float32 array, the parts with each value's own shortest digits, as ODAHU's orjson wrote
     * them ({@code 0.1}, where {@link #parts} has the float64 it widens to); else {@code null}.
     */
    public List<byte[]> float32Parts() {
      parts();
      return float32Parts;
    }
  }

  /**
   * An error reported by the worker ({@link Frames#MODEL_ERROR}, {@link Frames#INIT_ERROR}).
   *
   * @param missingModule the module a start-up's ImportError names, when it is no module of the
   *     model's own (a dependency), else {@code null}
   * @param modelModule the module a start-up's ImportError names, when it is one of the model's own
   *     ({@code odahuflow_model...}, the entrypoint, a file in its directory), else {@code null}
   * @param answerBytes the size of an answer the worker could not send, as it is over the largest
   *     frame ({@code maxFrame}); else -1, as {@code maxFrame}
   */
  public record PythonError(
      String type,
      String message,
      String traceback,
      String stage,
      String missingModule,
      String modelModule,
      String python,
      long answerBytes,
      long maxFrame) {
    public String summary() {
      return message.isEmpty() ? type : type + ": " + message;
    }
  }

  /**
   * A predict request for one input, whose arguments are copied as the client wrote them, or for
   * several mergeable inputs, whose rows are concatenated; {@code splits} tells the worker where
   * each request's rows end. Matrices that {@code packing} packs travel as {@linkplain
   * #packedRequest packed doubles}: {@link MatrixPacking#NUMBERS} for the model's 2-D array, {@link
   * MatrixPacking#FLOATS} for numbers written as floats, which the worker turns into the lists of
   * floats that parsing the JSON would have given, in a third of the time.
   *
   * @param maxFrameBytes the largest frame the worker reads; a packed request that would be larger
   *     (packing {@code 1.0,} doubles its size) goes as JSON
   */
  public static byte[] predictRequest(
      List<PredictionInput> inputs, OutputStyle style, MatrixPacking packing, int maxFrameBytes) {
    byte[] packed = packedRequest(inputs, style, packing, maxFrameBytes);
    if (packed != null) {
      return packed;
    }
    PredictionInput first = inputs.get(0);
    int size = inputs.size() == 1 ? first.data().length() : 16 * inputs.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + size);
    header(out, first, style);
    if (inputs.size() == 1) {
      ascii(out, ",\"data\":");
      first.data().writeTo(out);
      out.write('}');
      return out.toByteArray();
    }
    writeMerged(inputs, out);
    return out.toByteArray();
  }

  private static void header(ByteArrayOutputStream out, PredictionInput first, OutputStyle style) {
    ascii(out, "{\"style\":\"" + (style == OutputStyle.COMPACT ? "compact" : "python") + "\"");
    ascii(out, ",\"columns\":");
    if (first.columns() == null) {
      ascii(out, "null");
    } else {
      first.columns().writeTo(out);
    }
  }

  /**
   * The request as a NUL byte (JSON text never starts with one), the 4-byte length of a JSON header
   * ({@code style}, {@code columns}, {@code splits} when there are several inputs, {@code shape},
   * and {@code "lists":true} for {@link MatrixPacking#FLOATS}), padded with spaces so that the
   * values start 8-byte aligned, then every value as a little-endian float64, row by row; {@code
   * null} unless {@code packing} packs every input (matrices of one width).
   */
  static byte[] packedRequest(
      List<PredictionInput> inputs, OutputStyle style, MatrixPacking packing, int maxFrameBytes) {
    int rows = 0;
    int width = inputs.get(0).rows() == null ? -1 : inputs.get(0).rows().width();
    long valueCount = 0;
    for (PredictionInput input : inputs) {
      double[] values = packing.values(input);
      if (values == null || input.rows().width() != width) {
        return null;
      }
      rows += input.rows().count();
      valueCount += values.length;
    }
    ByteArrayOutputStream json = new ByteArrayOutputStream(128);
    header(json, inputs.get(0), style);
    if (inputs.size() > 1) {
      ascii(json, splits(inputs));
    }
    ascii(
        json,
        ",\"shape\":["
            + rows
            + ","
            + width
            + "]"
            + (packing == MatrixPacking.FLOATS ? ",\"lists\":true}" : "}"));
    int headerLength = json.size();
    int padding = (8 - (PACKED_PREFIX + headerLength) % 8) % 8;
    long size = PACKED_PREFIX + headerLength + padding + 8 * valueCount;
    if (size > maxFrameBytes) {
      return null;
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    out.put((byte) 0).putInt(headerLength + padding);
    out.put(json.toByteArray());
    for (int i = 0; i < padding; i++) {
      out.put((byte) ' ');
    }
    DoubleBuffer values = out.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    for (PredictionInput input : inputs) {
      values.put(packing.values(input));
    }
    return out.array();
  }

  private static String splits(List<PredictionInput> inputs) {
    StringBuilder splits = new StringBuilder(",\"splits\":[");
    for (int i = 0; i < inputs.size(); i++) {
      splits.append(i == 0 ? "" : ",").append(inputs.get(i).rows().count());
    }
    return splits.append(']').toString();
  }

  /** The splits and the rows of several mergeable inputs, and the end of the request. */
  private static void writeMerged(List<PredictionInput> inputs, ByteArrayOutputStream out) {
    ascii(out, splits(inputs));
    ascii(out, ",\"data\":[");
    boolean firstRow = true;
    for (PredictionInput input : inputs) {
      for (int row = 0; row < input.rows().count(); row++) {
        if (!firstRow) {
          out.write(',');
        }
        firstRow = false;
        input.rows().writeRow(row, out);
      }
    }
    ascii(out, "]}");
  }

  private static void ascii(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Whether {@code reply} is a prediction, {@link Frames#RESULT} or {@link Frames#PACKED_RESULT}.
   */
  public static boolean isResult(Reply reply) {
    return reply.type() == Frames.RESULT || reply.type() == Frames.PACKED_RESULT;
  }

  /**
   * Decodes a {@link Frames#RESULT} or a {@link Frames#PACKED_RESULT}; a malformed one means the
   * worker cannot be trusted. A packed result's parts are written as JSON when first asked for, as
   * the worker's {@code json.dumps} would have written them ({@link PythonFloats}).
   */
  public static Result decodeResult(Reply reply) throws WorkerDiedException {
    byte[] payload = reply.payload();
    try {
      ByteBuffer buffer = ByteBuffer.wrap(payload);
      byte[] columns = slice(buffer);
      if (reply.type() == Frames.PACKED_RESULT) {
        return new Result(columns, packed(buffer));
      }
      int count = buffer.getInt();
      if (count < 0 || count > payload.length) {
        throw new WorkerDiedException("malformed result frame: " + count + " parts");
      }
      List<byte[]> parts = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        parts.add(slice(buffer));
      }
      // The answer's rows, all ones for none (-1); absent from older workers.
      int answered = buffer.remaining() >= 4 ? buffer.getInt() : Result.UNKNOWN_ROWS;
      return new Result(columns, parts, answered);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new WorkerDiedException("malformed result frame", e);
    }
  }

  /**
   * A packed result, checked: after the columns, a type byte ({@code f}: float64, {@code g}:
   * float32, {@code i}: int64), the dimensions (1 or 2, a byte), the row width (1 for one
   * dimension), the part count and each part's rows (big-endian u32), then every value,
   * little-endian.
   */
  private static Packed packed(ByteBuffer buffer) {
    byte type = buffer.get();
    byte dimensions = buffer.get();
    int width = buffer.getInt();
    int count = buffer.getInt();
    if ((type != 'f' && type != 'g' && type != 'i')
        || (dimensions != 1 && dimensions != 2)
        || width < 0
        || (dimensions == 1 && width != 1)
        || count < 0
        || count > buffer.remaining() / 4) {
      throw new IllegalArgumentException("bad packed header");
    }
    int[] rows = new int[count];
    long values = 0;
    for (int i = 0; i < count; i++) {
      rows[i] = buffer.getInt();
      if (rows[i] < 0) {
        throw new IllegalArgumentException("bad row count " + rows[i]);
      }
      values += (long) rows[i] * width;
    }
    if (values * (type == 'g' ? Float.BYTES : Double.BYTES) != buffer.remaining()) {
      throw new IllegalArgumentException(
          values + " values announced, " + buffer.remaining() + " bytes sent");
    }
    return new Packed(type, dimensions == 2, width, rows, buffer.slice());
  }

  /** A checked packed result, its values not yet read. */
  @SuppressWarnings("ArrayRecordComponent") // private, and never changed
  private record Packed(byte type, boolean matrix, int width, int[] rows, ByteBuffer values) {
    /** The parts as JSON; float32 values widened to float64, or in their own digits. */
    List<byte[]> render(boolean float32Digits) {
      values.order(ByteOrder.LITTLE_ENDIAN).rewind();
      List<byte[]> parts = new ArrayList<>(rows.length);
      StringBuilder text = new StringBuilder();
      for (int part : rows) {
        text.setLength(0);
        text.append('[');
        for (int row = 0; row < part; row++) {
          text.append(row == 0 ? "" : ",").append(matrix ? "[" : "");
          for (int column = 0; column < width; column++) {
            if (column > 0) {
              text.append(',');
            }
            if (type == 'f') {
              PythonFloats.append(text, values.getDouble());
            } else if (type == 'g') {
              float value = values.getFloat();
              if (float32Digits) {
                PythonFloats.appendFloat32(text, value);
              } else {
                PythonFloats.append(text, value);
              }
            } else {
              text.append(values.getLong());
            }
          }
          text.append(matrix ? "]" : "");
        }
        parts.add(text.append(']').toString().getBytes(StandardCharsets.ISO_8859_1));
      }
      return parts;
    }
  }

  private static byte[] slice(ByteBuffer buffer) {
    int length = buffer.getInt();
    if (length < 0 || length > buffer.remaining()) {
      throw new IllegalArgumentException("bad length " + length);
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return bytes;
  }

  /**
   * What a {@link Frames#ROW_MISMATCH} reports.
   *
   * @param rows the answer's row count, or -1 if not given
   * @param answerType the type of an answer that has no rows to split by position (a {@code str}, a
   *     {@code dict}), or empty
   */
  public record RowMismatch(int rows, String answerType) {}

  /** Decodes a {@link Frames#ROW_MISMATCH}: the answer's row count (u32), then its type, if any. */
  public static RowMismatch decodeRowMismatch(byte[] payload) {
    if (payload.length < 4) {
      return new RowMismatch(-1, "");
    }
    return new RowMismatch(
        ByteBuffer.wrap(payload).getInt(),
        new String(payload, 4, payload.length - 4, StandardCharsets.UTF_8));
  }

  /** Decodes a {@link Frames#MODEL_ERROR} or {@link Frames#INIT_ERROR}. */
  public static PythonError decodeError(byte[] payload) {
    JsonNode node = tree(payload);
    return new PythonError(
        node.path("type").asText("Exception"),
        node.path("message").asText(""),
        node.path("traceback").asText(""),
        node.path("stage").asText(""),
        text(node.path("missing_module")),
        text(node.path("model_module")),
        node.path("python").asText(""),
        node.path("answer_bytes").asLong(-1),
        node.path("max_frame").asLong(-1));
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }

  static JsonNode tree(byte[] payload) {
    try {
      return JSON.readTree(payload);
    } catch (IOException e) {
      return NullNode.getInstance();
    }
  }

  /** Decodes a {@link Frames#INFO_RESULT}. */
  public static ModelSchema decodeInfo(byte[] payload) {
    JsonNode node = tree(payload);
    return new ModelSchema(fields(node.path("input")), fields(node.path("output")));
  }

  private static List<SchemaField> fields(JsonNode array) {
    List<SchemaField> fields = new ArrayList<>();
    for (JsonNode field : array) {
      JsonNode type = field.path("type");
      fields.add(
          new SchemaField(
              field.path("name").asText(),
              type.isTextual() ? type.asText() : null,
              field.has("example") ? field.get("example") : NullNode.getInstance(),
              field.path("required").asBoolean(false)));
    }
    return fields;
  }

  /** Decodes a {@link Frames#SELF_CHECK_RESULT}. */
  public static SelfCheckReport decodeSelfCheck(byte[] payload) {
    JsonNode node = tree(payload);
    JsonNode prediction = node.path("prediction");
    List<String> columns = new ArrayList<>();
    prediction.path("columns").forEach(column -> columns.add(column.asText()));
    return new SelfCheckReport(
        node.path("info").path("input").asInt(),
        node.path("info").path("output").asInt(),
        prediction.isMissingNode() ? -1 : prediction.path("rows").asInt(),
        columns);
  }

  /**
   * The user-facing error for an {@link Frames#INIT_ERROR}: what failed (import or {@code init()})
   * and the Python error. A module that cannot be imported gives a {@link MissingModuleException},
   * its message followed by {@code missingModuleNote}.
   *
   * @param payload the frame payload
   * @param artifact the model being started
   * @param runtime the runtime's name, e.g. {@link org.odahu.pack.gppi.BackendOptions#CPYTHON}
   * @param missingModuleNote where the model's dependencies must be, as a sentence
   */
  public static ModelStartupException startupFailure(
      byte[] payload, ModelArtifact artifact, String runtime, String missingModuleNote) {
    PythonError error = decodeError(payload);
    if ("ndarray".equals(error.stage())) {
      // odahu-pack's own need for numpy, not the model's: no word about its dependencies.
      return new ModelStartupException(
          error.message()
              + ". Install numpy in the Python that runs the model, or leave --input-matrix at"
              + " lists (the model then gets lists, as with ODAHU)",
          "The model failed to start: --input-matrix ndarray needs numpy; the log has the"
              + " details",
          error.traceback());
    }
    boolean importing = "import".equals(error.stage());
    String failed =
        "The model failed to start while "
            + (importing ? "importing" : "running init() of")
            + " the entrypoint module '"
            + artifact.manifest().model().entrypoint()
            + "'";
    String message =
        failed + (importing ? " from " + artifact.workDir() : "") + ": " + error.summary();
    String shown =
        failed
            + ": "
            + error.type()
            + (error.missingModule() != null ? " (no module '" + error.missingModule() + "')" : "")
            // Not "the server's": batch prediction shows it too, and its log is the command's.
            + "; the log has the details";
    if (error.modelModule() != null) {
      // Not a dependency: the hint to install them would mislead.
      return new ModelStartupException(
          message
              + " ('"
              + error.modelModule()
              + "' would be a module of the model itself, from "
              + artifact.workDir()
              + ")",
          shown,
          error.traceback());
    }
    if (error.missingModule() != null
        || error.type().equals("ImportError")
        || error.type().equals("ModuleNotFoundError")) {
      return new MissingModuleException(
          message + (message.endsWith(".") ? " " : ". ") + missingModuleNote,
          shown,
          error.traceback(),
          error.missingModule(),
          runtime);
    }
    return new ModelStartupException(message, shown, error.traceback());
  }

  /** Checks a {@link Frames#HELLO}; returns the worker's process id as it reports it. */
  public static long checkHello(byte[] payload) {
    JsonNode hello = tree(payload);
    int protocol = hello.path("protocol").asInt(-1);
    if (protocol != Frames.PROTOCOL_VERSION) {
      throw new ModelStartupException(
          "The worker speaks protocol version "
              + protocol
              + ", this runtime speaks "
              + Frames.PROTOCOL_VERSION,
          "");
    }
    return hello.path("pid").asLong(-1);
  }
}
