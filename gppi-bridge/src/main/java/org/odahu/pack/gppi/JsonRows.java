package org.odahu.pack.gppi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON array given to the model as its matrix, with the slices of its elements when they are rows
 * (arrays) of one width. The rows are never decoded and re-encoded on the way to the model.
 */
public final class JsonRows {
  /** The longest number Jackson's parser reads (its default {@code maxNumberLength}). */
  private static final int MAX_NUMBER_LENGTH = 1000;

  private final JsonText text;
  private final byte[] source;
  private final int[] bounds;
  private final int count;
  private final int width;
  // The values, row by row, when scanNumbers read them while cutting the rows; else null.
  private final double[] values;
  private final boolean floats;
  // Per column of a matrix, the kinds of value it holds (a bit each), or null when not read.
  private final byte[] kinds;

  /** A value kind of {@link #kinds()}: an integer that fits in 64 bits. */
  public static final byte INTEGER = 1;

  /** A value kind: a number written as a float ({@code 7.0}, {@code 1e3}; also {@code NaN}). */
  public static final byte FLOAT = 2;

  /** A value kind: a string. */
  public static final byte STRING = 4;

  /** A value kind: {@code true} or {@code false}. */
  public static final byte BOOLEAN = 8;

  /** A value kind: {@code null}. */
  public static final byte NULL = 16;

  /** A value kind: an integer beyond 64 bits (Python's int; numpy cannot hold it as int64). */
  public static final byte BIG_INTEGER = 32;

  /** A value kind: an array or an object. */
  public static final byte OTHER = 64;

  private JsonRows(JsonText text, byte[] source, int[] bounds, int count, int width, byte[] kinds) {
    this(text, source, bounds, count, width, null, false, kinds);
  }

  private JsonRows(
      JsonText text,
      byte[] source,
      int[] bounds,
      int count,
      int width,
      double[] values,
      boolean floats,
      byte[] kinds) {
    this.text = text;
    this.source = source;
    this.bounds = bounds;
    this.count = count;
    this.width = width;
    this.values = values;
    this.floats = floats;
    this.kinds = width >= 0 && kinds != null ? Arrays.copyOf(kinds, width) : null;
  }

  /** Bytes the offsets of the rows take. */
  long boundsBytes() {
    return 4L * bounds.length;
  }

  /**
   * Reads the array whose {@code START_ARRAY} is {@code parser}'s current token, up to and
   * including its {@code END_ARRAY}. The parser reads the whole of {@code source} from its first
   * byte, so that its offsets are indexes into {@code source}.
   *
   * @throws IOException if the array is not well-formed JSON
   */
  public static JsonRows read(JsonParser parser, byte[] source) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new IllegalArgumentException("the parser is not at the start of an array");
    }
    int arrayStart = (int) parser.currentTokenLocation().getByteOffset();
    int[] bounds = new int[16];
    byte[] kinds = new byte[16];
    int count = 0;
    int width = -2; // -2: no row yet; -1: not rows of one width
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (width == -1 || token != JsonToken.START_ARRAY) {
        parser.skipChildren();
        width = -1;
        count++;
        continue;
      }
      int start = (int) parser.currentTokenLocation().getByteOffset();
      int values = 0;
      JsonToken value;
      while ((value = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (values == kinds.length) {
          kinds = Arrays.copyOf(kinds, kinds.length * 2);
        }
        kinds[values] |= kind(parser, value);
        parser.skipChildren();
        values++;
      }
      width = width == -2 || width == values ? values : -1;
      if (2 * count + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, bounds.length * 2);
      }
      bounds[2 * count] = start;
      bounds[2 * count + 1] = (int) parser.currentLocation().getByteOffset();
      count++;
    }
    int arrayEnd = (int) parser.currentLocation().getByteOffset();
    JsonText text = JsonText.slice(source, arrayStart, arrayEnd);
    return new JsonRows(text, source, bounds, count, Math.max(width, -1), kinds);
  }

  /** The kind of the value that is {@code parser}'s current token, {@code token}. */
  private static byte kind(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_NUMBER_INT ->
          parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? BIG_INTEGER : INTEGER;
      case VALUE_NUMBER_FLOAT -> FLOAT;
      case VALUE_STRING -> STRING;
      case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
      case VALUE_NULL -> NULL;
      default -> OTHER;
    };
  }

  /**
   * The array {@code source[0 .. source.length)} whose rows its writer already cut: row {@code i}
   * is {@code source[bounds[2i] .. bounds[2i+1])}. For callers that built {@code source} from
   * values they parsed themselves, so that it is not read a second time.
   *
   * @param bounds start and end offsets of each row, {@code 2 * count} of them
   * @param count number of rows
   * @param width values in every row, or -1 unless every row is an array of that many values
   */
  public static JsonRows ofRows(byte[] source, int[] bounds, int count, int width) {
    if (bounds.length < 2 * count) {
      throw new IllegalArgumentException(count + " rows need " + 2 * count + " bounds");
    }
    return new JsonRows(
        JsonText.slice(source, 0, source.length), source, bounds, count, Math.max(width, -1), null);
  }

  /**
   * Reads the array starting at {@code source[from]} in one pass, without a JSON parser, if it is
   * the matrix nearly every client sends: one or more rows, each an array of the same number (one
   * or more) of JSON numbers, with only JSON whitespace between the tokens. The rows are cut and
   * their values read (for {@link PredictionInput#numbers} and {@link PredictionInput#floats}) as
   * {@link #read} and {@link #readNumbers} would. Anything else, well-formed or not, gives {@code
   * null}: the caller then reads the array with a parser, which also says what is wrong with it.
   *
   * @return the rows, or {@code null}
   */
  public static JsonRows scanNumbers(byte[] source, int from) {
    if (from >= source.length || source[from] != '[') {
      return null;
    }
    int[] bounds = new int[16];
    double[] values = new double[64];
    byte[] kinds = new byte[16];
    int count = 0;
    int valueCount = 0;
    int width = -1;
    boolean floats = true;
    int i = skipSpace(source, from + 1);
    while (true) {
      if (i >= source.length || source[i] != '[') {
        return null; // not a row, or an empty matrix
      }
      int start = i;
      int inRow = 0;
      i = skipSpace(source, i + 1);
      while (true) {
        int end = numberEnd(source, i);
        if (end < 0) {
          return null; // not a number, or an empty row
        }
        if (valueCount == values.length) {
          values = Arrays.copyOf(values, values.length * 2);
        }
        values[valueCount++] = JsonNumbers.parseDouble(source, i, end);
        boolean isFloat = isFloat(source, i, end);
        floats &= isFloat;
        if (inRow == kinds.length) {
          kinds = Arrays.copyOf(kinds, kinds.length * 2);
        }
        kinds[inRow] |= isFloat ? FLOAT : fitsLong(source, i, end) ? INTEGER : BIG_INTEGER;
        inRow++;
        int at = separator(source, end);
        if (at < 0) {
          return null;
        }
        if (source[at] == ']') {
          i = at + 1;
          break;
        }
        i = skipSpace(source, at + 1);
      }
      if (width >= 0 && width != inRow) {
        return null;
      }
      width = inRow;
      if (2 * count + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, bounds.length * 2);
      }
      bounds[2 * count] = start;
      bounds[2 * count + 1] = i;
      count++;
      int at = separator(source, i);
      if (at < 0) {
        return null;
      }
      if (source[at] == ']') {
        i = at + 1;
        break;
      }
      i = skipSpace(source, at + 1);
    }
    return new JsonRows(
        JsonText.slice(source, from, i),
        source,
        bounds,
        count,
        width,
        Arrays.copyOf(values, valueCount),
        floats,
        kinds);
  }

  private static final byte[] LONG_MAX = "9223372036854775807".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LONG_MIN = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);

  /** Whether the JSON integer {@code source[from .. to)} fits in a {@code long}. */
  private static boolean fitsLong(byte[] source, int from, int to) {
    boolean negative = source[from] == '-';
    int digits = negative ? from + 1 : from;
    int length = to - digits;
    if (length < LONG_MAX.length) {
      return true; // JSON has no leading zeros
    }
    return length == LONG_MAX.length
        && Arrays.compare(source, digits, to, negative ? LONG_MIN : LONG_MAX, 0, length) <= 0;
  }

  /**
   * The end of the JSON number (RFC 8259: {@code -? (0 | [1-9][0-9]*) (.[0-9]+)?
   * ([eE][+-]?[0-9]+)?}) starting at {@code source[from]}, which must be followed by whitespace, a
   * comma, a bracket or a brace; -1 if there is no such number there, or one longer than the JSON
   * parser takes.
   */
  private static int numberEnd(byte[] source, int from) {
    int i = from;
    if (i < source.length && source[i] == '-') {
      i++;
    }
    if (i < source.length && source[i] == '0') {
      i++;
    } else if (isDigit(source, i)) {
      i = skipDigits(source, i);
    } else {
      return -1;
    }
    if (i < source.length && source[i] == '.') {
      if (!isDigit(source, i + 1)) {
        return -1;
      }
      i = skipDigits(source, i + 1);
    }
    if (i < source.length && (source[i] == 'e' || source[i] == 'E')) {
      i++;
      if (i < source.length && (source[i] == '+' || source[i] == '-')) {
        i++;
      }
      if (!isDigit(source, i)) {
        return -1;
      }
      i = skipDigits(source, i);
    }
    if (i < source.length && !isDelimiter(source[i]) && source[i] != ']' && source[i] != '}') {
      return -1;
    }
    // Longer numbers go to the parser, which refuses them as it would anywhere else.
    return i - from <= MAX_NUMBER_LENGTH ? i : -1;
  }

  /** The index of the comma or closing bracket after {@code from} and any whitespace, or -1. */
  private static int separator(byte[] source, int from) {
    int i = skipSpace(source, from);
    return i < source.length && (source[i] == ',' || source[i] == ']') ? i : -1;
  }

  private static boolean isDigit(byte[] source, int i) {
    return i < source.length && source[i] >= '0' && source[i] <= '9';
  }

  private static int skipDigits(byte[] source, int from) {
    int i = from;
    while (isDigit(source, i)) {
      i++;
    }
    return i;
  }

  /**
   * Whether the number {@code source[from .. to)} is written as a float, as Python's json reads it.
   */
  private static boolean isFloat(byte[] source, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = source[i];
      if (b == '.' || b == 'e' || b == 'E') {
        return true;
      }
    }
    return false;
  }

  /** The first index from {@code from} on that is not JSON whitespace. */
  public static int skipSpace(byte[] source, int from) {
    return skipSpace(source, from, source.length);
  }

  /** The first index from {@code from} on, up to {@code end}, that is not JSON whitespace. */
  private static int skipSpace(byte[] source, int from, int end) {
    int i = from;
    while (i < end && isSpace(source[i])) {
      i++;
    }
    return i;
  }

  /**
   * Every value, row by row, when {@link #scanNumbers} read them (and, with {@code floatsOnly},
   * every one was written as a float); else {@code null}.
   */
  double[] scannedValues(boolean floatsOnly) {
    return values == null || (floatsOnly && !floats) ? null : values;
  }

  /**
   * For a {@linkplain #isMatrix matrix}, the kinds of value each column holds over all rows: a
   * bitmask per column of {@link #INTEGER}, {@link #FLOAT}, {@link #STRING}, {@link #BOOLEAN},
   * {@link #NULL}, {@link #BIG_INTEGER} and {@link #OTHER}, read with the rows; {@code null} for
   * rows {@linkplain #ofRows cut by their writer}, or not a matrix. Not a copy: do not change it.
   */
  byte[] kinds() {
    return isMatrix() ? kinds : null;
  }

  /** Whether {@link #scanNumbers} read this matrix's values. */
  boolean scanned() {
    return values != null;
  }

  /** The whole array, as the client wrote it. */
  public JsonText text() {
    return text;
  }

  /** Number of elements. */
  public int count() {
    return count;
  }

  /** Number of values in every row, or -1 unless every element is an array of one width. */
  public int width() {
    return count == 0 ? -1 : width;
  }

  /** Whether there is at least one element and every element is an array of the same width. */
  public boolean isMatrix() {
    return width() >= 0;
  }

  /**
   * Writes row {@code index}'s JSON text to {@code out}; only for a {@linkplain #isMatrix matrix}.
   */
  public void writeRow(int index, ByteArrayOutputStream out) {
    int start = start(index);
    out.write(source, start, bounds[2 * index + 1] - start);
  }

  /** Row {@code index}'s JSON text; only for a {@linkplain #isMatrix matrix}. */
  public String row(int index) {
    int start = start(index);
    return new String(source, start, bounds[2 * index + 1] - start, StandardCharsets.UTF_8);
  }

  /**
   * Reads row {@code index}'s values into {@code out} from {@code offset} when every one is a
   * number ({@linkplain #width() width} of them); only for a {@linkplain #isMatrix matrix}.
   *
   * @param floatsOnly also require every number to be written as a float, with a fraction or an
   *     exponent ({@code 45.0}, {@code 1e3}), which Python's {@code json} reads as a float (and
   *     {@code 45} as an int)
   * @return whether every value of the row is such a number; if not, {@code out} holds garbage
   */
  public boolean readNumbers(int index, double[] out, int offset, boolean floatsOnly) {
    int i = start(index) + 1; // after '['
    int end = bounds[2 * index + 1] - 1; // at ']'
    int value = offset;
    while (true) {
      i = skipSpace(source, i, end);
      if (i == end) {
        return true;
      }
      byte first = source[i];
      int tokenEnd = i + 1;
      while (tokenEnd < end && !isDelimiter(source[tokenEnd])) {
        tokenEnd++;
      }
      double nonFinite = nonFinite(source, i, tokenEnd);
      if (!Double.isFinite(nonFinite)) {
        out[value++] = nonFinite; // a float to Python's json, as to numpy
      } else if (first != '-' && (first < '0' || first > '9')) {
        return false; // a string, literal, array or object
      } else if (floatsOnly && !isFloat(source, i, tokenEnd)) {
        return false;
      } else {
        out[value++] = JsonNumbers.parseDouble(source, i, tokenEnd);
      }
      i = skipSpace(source, tokenEnd, end);
      if (i < end) {
        i++; // ','
      }
    }
  }

  private static final byte[] NAN = "NaN".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INFINITY = "Infinity".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MINUS_INFINITY = "-Infinity".getBytes(StandardCharsets.US_ASCII);

  /**
   * The value of Python's non-finite literal {@code source[from .. to)} (NaN, Infinity, -Infinity:
   * only parsers that read them let them through), or 0 for any other token.
   */
  private static double nonFinite(byte[] source, int from, int to) {
    if (Arrays.equals(source, from, to, NAN, 0, NAN.length)) {
      return Double.NaN;
    }
    if (Arrays.equals(source, from, to, INFINITY, 0, INFINITY.length)) {
      return Double.POSITIVE_INFINITY;
    }
    if (Arrays.equals(source, from, to, MINUS_INFINITY, 0, MINUS_INFINITY.length)) {
      return Double.NEGATIVE_INFINITY;
    }
    return 0;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private static boolean isDelimiter(byte b) {
    return b == ',' || isSpace(b);
  }

  private int start(int index) {
    if (!isMatrix() || index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("no row " + index + " in " + this);
    }
    return bounds[2 * index];
  }

  @Override
  public String toString() {
    return "JsonRows[" + count + (isMatrix() ? " x " + width : " elements, not a matrix") + "]";
  }
}
