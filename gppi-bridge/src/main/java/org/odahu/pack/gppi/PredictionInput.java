package org.odahu.pack.gppi;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The input of one prediction: the two arguments of GPPI's {@code predict_on_matrix(input_matrix,
 * provided_columns_names)} as the client's own JSON text, whatever they hold (ODAHU hands the model
 * whatever the client sent; pandas decides). A request whose matrix is rows of one width, with no
 * column names or one string name per value, may share a model call with others of the same columns
 * and width whose columns hold the same kinds of value; any other request runs alone.
 */
public final class PredictionInput {
  // What numbers() and floats() hold before they are first read, and for a matrix not of such
  // numbers only (compared by identity). They are read on the caller's thread (a server's event
  // loop) and used on a worker's, hence volatile.
  private static final double[] UNREAD = new double[0];
  private static final double[] NOT_NUMBERS = new double[0];

  private final JsonText columns;
  private final List<String> columnNames;
  private final JsonText data;
  private final JsonRows rows;
  private volatile double[] numbers = UNREAD;
  private volatile double[] floats = UNREAD;

  private PredictionInput(JsonText columns, JsonText data, JsonRows rows) {
    this.columns = columns == null || columns.isNull() ? null : columns;
    this.columnNames = this.columns == null ? null : this.columns.strings();
    this.data = Objects.requireNonNull(data, "data");
    this.rows = rows;
  }

  /**
   * An input whose matrix is an array, already read.
   *
   * @param columns the column names' JSON ({@code null}: none, Python's {@code None})
   * @param rows the matrix
   */
  public static PredictionInput of(JsonText columns, JsonRows rows) {
    return new PredictionInput(columns, rows.text(), rows);
  }

  /**
   * An input from the JSON text of its two arguments.
   *
   * @param columns the column names' JSON ({@code null}: none)
   * @param data the matrix's JSON, any JSON value (also Python's {@code NaN}, {@code Infinity} and
   *     {@code -Infinity})
   * @throws IllegalArgumentException if {@code data} is not well-formed JSON
   */
  public static PredictionInput of(JsonText columns, JsonText data) {
    String text = data.toString();
    if (!text.stripLeading().startsWith("[")) {
      return new PredictionInput(columns, data, null);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try (JsonParser parser = PythonJsonInput.parser(bytes)) {
      parser.nextToken();
      return of(columns, JsonRows.read(parser, bytes));
    } catch (IOException e) {
      throw new IllegalArgumentException("data is not well-formed JSON: " + e.getMessage(), e);
    }
  }

  /** As {@link #of(JsonText, JsonText)}, from text; {@code columnsJson} may be {@code null}. */
  public static PredictionInput fromJson(String columnsJson, String dataJson) {
    return of(columnsJson == null ? null : JsonText.of(columnsJson), JsonText.of(dataJson));
  }

  /** The column names' JSON as the client wrote it, or {@code null} for none. */
  public JsonText columns() {
    return columns;
  }

  /** The matrix's JSON as the client wrote it. */
  public JsonText data() {
    return data;
  }

  /** The matrix read as rows, or {@code null} when it is not an array. */
  public JsonRows rows() {
    return rows;
  }

  /**
   * The matrix's values row by row when it is rows of one width holding numbers only, else {@code
   * null}; read once, on first use.
   */
  @SuppressWarnings("ReferenceEquality") // the sentinels are compared by identity on purpose
  public double[] numbers() {
    double[] read = numbers;
    if (read == UNREAD) {
      read = readNumbers(false);
      numbers = read;
    }
    return read == NOT_NUMBERS ? null : read;
  }

  /**
   * As {@link #numbers()}, but only when every number is written as a float ({@code 7.0}, not
   * {@code 7}): then Python's {@code json} would read every value as a float, and the values say
   * all the JSON text does.
   */
  @SuppressWarnings("ReferenceEquality")
  public double[] floats() {
    double[] read = floats;
    if (read == UNREAD) {
      read = readNumbers(true);
      floats = read;
    }
    return read == NOT_NUMBERS ? null : read;
  }

  private double[] readNumbers(boolean floatsOnly) {
    if (rows == null || !rows.isMatrix()) {
      return NOT_NUMBERS;
    }
    if (rows.scanned()) {
      double[] scanned = rows.scannedValues(floatsOnly);
      return scanned == null ? NOT_NUMBERS : scanned;
    }
    int width = rows.width();
    double[] values = new double[rows.count() * width];
    for (int row = 0; row < rows.count(); row++) {
      if (!rows.readNumbers(row, values, row * width, floatsOnly)) {
        return NOT_NUMBERS;
      }
    }
    return values;
  }

  /**
   * Bytes of heap this input keeps beyond the text it was read from, while it waits for a worker
   * and is predicted: the offsets of its rows and, for a matrix, its values as doubles (read when
   * it is scanned, or when it is packed for the worker).
   */
  public long heldBytes() {
    if (rows == null) {
      return 0;
    }
    long cells = rows.isMatrix() ? (long) rows.count() * Math.max(rows.width(), 0) : 0;
    return 8L * cells + rows.boundsBytes();
  }

  /** Rows the model is given: the array's elements, or 1 for anything else. */
  public int rowCount() {
    return rows == null ? 1 : rows.count();
  }

  /**
   * Whether this input may share a model call at all: its matrix is rows of one width, and it has
   * no column names or one string name per value.
   */
  public boolean isMergeable() {
    return rows != null
        && rows.isMatrix()
        && (columns == null || (columnNames != null && columnNames.size() == rows.width()));
  }

  /**
   * Whether this input may share a model call with {@code other}: same columns and width, and each
   * column holding the same kinds of value ({@link JsonRows#kinds()}: integers, floats, strings,
   * booleans, nulls...). pandas picks a column's type from all its values: merged with a request
   * that writes {@code 1.5}, another's integer ids would become floats (and lose digits beyond
   * 2^53). So {@code 7} and {@code 7.0} in the same column do not merge.
   */
  public boolean mergeableWith(PredictionInput other) {
    byte[] kinds = rows == null ? null : rows.kinds();
    return sameColumns(other) && kinds != null && Arrays.equals(kinds, other.rows.kinds());
  }

  /**
   * Whether this input and {@code other} are both mergeable with the same columns and width,
   * whatever kinds of value they hold: for matrices of numbers that reach the model as float arrays
   * either way ({@code --input-matrix ndarray}).
   */
  public boolean sameColumns(PredictionInput other) {
    return isMergeable()
        && other.isMergeable()
        && rows.width() == other.rows.width()
        && Objects.equals(columnNames, other.columnNames);
  }

  @Override
  public String toString() {
    return "PredictionInput[columns=" + columns + ", " + (rows != null ? rows : "data") + "]";
  }
}
