package org.odahu.pack.server.mlflow;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.RequestJson;
import org.odahu.pack.server.http.DecodeMemory;
import org.odahu.pack.server.http.JsonBodies;
import org.odahu.pack.server.http.RequestRejectedException;

/**
 * A {@code text/csv} body of MLflow's {@code POST /invocations}, read as {@code pandas.read_csv}
 * reads it: the first line names the columns (an empty name becomes {@code Unnamed: i}, a repeated
 * one {@code name.1}), blank lines (and lines of spaces) are skipped, a first row with one field
 * more than the names makes the first field of every row its index (which the model does not get),
 * a short row is filled with missing values, pandas' missing-value markers ({@code NA}, {@code
 * NaN}, an empty field...) are missing values ({@code null}), {@code inf} and {@code infinity} in
 * any case and with a sign are infinities, and a column whose values are all integers (that int64
 * or uint64 holds), all numbers or all booleans holds those, otherwise strings.
 */
final class CsvInput {
  private static final CsvMapper CSV = new CsvMapper();
  private static final Set<String> MISSING =
      Set.of(
          "",
          "#N/A",
          "#N/A N/A",
          "#NA",
          "-1.#IND",
          "-1.#QNAN",
          "-NaN",
          "-nan",
          "1.#IND",
          "1.#QNAN",
          "<NA>",
          "N/A",
          "NA",
          "NULL",
          "NaN",
          "None",
          "n/a",
          "nan",
          "null");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final BigInteger INT64_LIMIT = BigInteger.ONE.shiftLeft(63);
  private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);
  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");
  private static final Set<String> BOOLEANS = Set.of("true", "false");

  /** An infinity as pandas' CSV parser reads one: {@code inf} or {@code infinity}, any case. */
  private static final Pattern INFINITY =
      Pattern.compile("([+-]?)(inf|infinity)", Pattern.CASE_INSENSITIVE);

  /**
   * What reading one cell builds: its text as read, the column's copy and the JSON value, each a
   * string, with their list slots.
   */
  private static final int CELL_BYTES = 160;

  private CsvInput() {}

  /**
   * The model input {@code body} holds.
   *
   * @throws InvalidInputException if it is not a CSV table with a header line and rows
   */
  static PredictionInput parse(byte[] body, DecodeMemory memory) {
    List<List<String>> lines = new ArrayList<>();
    try (MappingIterator<List<String>> reader =
        CSV.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(body)) {
      while (reader.hasNextValue()) {
        List<String> line = reader.nextValue();
        memory.charge((long) CELL_BYTES * line.size());
        // pandas skips blank lines, those of spaces and tabs too.
        if (!(line.size() == 1 && line.get(0).isBlank())) {
          lines.add(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof RequestRejectedException rejected) {
        throw rejected;
      }
      throw new InvalidInputException(
          "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid"
              + " CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()`"
              + " method. Error: '"
              + reason(e)
              + "'");
    }
    if (lines.isEmpty()) {
      throw new InvalidInputException("Invalid input. The CSV has no header line.");
    }
    List<String> columns = header(lines.get(0));
    List<List<String>> rows = lines.subList(1, lines.size());
    if (rows.isEmpty()) {
      throw new InvalidInputException(
          "Invalid input. The CSV has a header line and no rows: the first line names the"
              + " columns.");
    }
    // One field more than names in the first row, as to_csv(index_label=False) writes: pandas
    // reads the first field of each row as the row's index, which the model does not get.
    int index = rows.get(0).size() == columns.size() + 1 ? 1 : 0;
    for (int r = 0; r < rows.size(); r++) {
      if (rows.get(r).size() > columns.size() + index) {
        throw new InvalidInputException(
            "Invalid input. Expected "
                + (columns.size() + index)
                + " fields in line "
                + (r + 2)
                + ", saw "
                + rows.get(r).size());
      }
    }
    if (index == 1) {
      rows = rows.stream().map(row -> row.isEmpty() ? row : row.subList(1, row.size())).toList();
    }
    JsonBodies.checkCells(rows.size(), columns.size(), "Invalid input. The CSV's ");
    List<List<String>> values = new ArrayList<>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      values.add(new ArrayList<>(columns.size()));
    }
    for (int c = 0; c < columns.size(); c++) {
      List<String> column = typed(rows, c);
      for (int r = 0; r < rows.size(); r++) {
        values.get(r).add(column.get(r));
      }
    }
    return new JsonInput.Table(columns, values, null).toInput();
  }

  /** What the CSV reader said is wrong, without Java's names for where it was. */
  private static String reason(Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof JacksonException jackson) {
        return RequestJson.describe(jackson, true);
      }
    }
    return String.valueOf(e.getMessage());
  }

  /** The column names as pandas gives them. */
  private static List<String> header(List<String> line) {
    List<String> names = new ArrayList<>(line.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < line.size(); i++) {
      String name = line.get(i).isEmpty() ? "Unnamed: " + i : line.get(i);
      int count = seen.merge(name, 1, Integer::sum);
      names.add(count == 1 ? name : name + "." + (count - 1));
    }
    return names;
  }

  /** Column {@code c} of {@code rows} as JSON values of the type all its values share. */
  private static List<String> typed(List<List<String>> rows, int c) {
    List<String> raw = new ArrayList<>(rows.size());
    boolean integers = true;
    boolean numbers = true;
    boolean booleans = true;
    BigInteger least = BigInteger.ZERO;
    BigInteger greatest = BigInteger.ZERO;
    boolean missing = false;
    for (List<String> row : rows) {
      String value = c < row.size() ? row.get(c) : "";
      raw.add(value);
      if (MISSING.contains(value)) {
        missing = true;
        continue;
      }
      String trimmed = value.strip();
      boolean integer = INTEGER.matcher(trimmed).matches();
      integers &= integer;
      numbers &= integer || isNumber(trimmed);
      booleans &= BOOLEANS.contains(trimmed.toLowerCase(Locale.ROOT));
      if (integer) {
        BigInteger parsed = new BigInteger(trimmed);
        least = least.min(parsed);
        greatest = greatest.max(parsed);
      }
    }
    boolean int64 =
        least.compareTo(INT64_LIMIT.negate()) >= 0 && greatest.compareTo(INT64_LIMIT) < 0;
    boolean uint64 = least.signum() >= 0 && greatest.compareTo(UINT64_LIMIT) < 0;
    if (integers && !int64 && !uint64) {
      // Integers neither int64 nor uint64 hold: pandas keeps the column's text.
      integers = false;
      numbers = false;
    } else if (integers && missing) {
      integers = false; // pandas' integers hold no NaN: the column is float64
    }
    List<String> json = new ArrayList<>(raw.size());
    for (String value : raw) {
      String trimmed = value.strip();
      if (MISSING.contains(value)) {
        json.add("null");
      } else if (integers) {
        json.add(
            new BigInteger(trimmed.startsWith("+") ? trimmed.substring(1) : trimmed).toString());
      } else if (numbers) {
        // float64, as pandas reads the column: integers written as such are floats too (2 is 2.0).
        boolean floatText =
            JSON_NUMBER.matcher(trimmed).matches() && !INTEGER.matcher(trimmed).matches();
        json.add(floatText ? trimmed : number(trimmed));
      } else if (booleans) {
        json.add(trimmed.toLowerCase(Locale.ROOT));
      } else {
        json.add(JsonSlices.quote(value));
      }
    }
    return json;
  }

  private static boolean isNumber(String text) {
    if (INFINITY.matcher(text).matches()) {
      return true;
    }
    if (text.indexOf('x') >= 0 || text.indexOf('X') >= 0) {
      return false; // Java reads hexadecimal floats (0x1p3); pandas keeps them as text
    }
    if (text.isEmpty() || !Character.isDigit(text.charAt(text.length() - 1))) {
      // Java would also read "1d", "Infinity" and "NaN", which pandas reads otherwise.
      return text.endsWith(".") && text.length() > 1 && isNumber(text + "0");
    }
    try {
      return Double.isFinite(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String number(String text) {
    Matcher infinity = INFINITY.matcher(text);
    if (infinity.matches()) {
      return infinity.group(1).equals("-") ? "-Infinity" : "Infinity";
    }
    return Double.toString(Double.parseDouble(text.endsWith(".") ? text + "0" : text));
  }
}
