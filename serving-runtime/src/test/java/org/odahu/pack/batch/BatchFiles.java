package org.odahu.pack.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Input files of random rows in each format, and the rows of result files, for batch tests. */
final class BatchFiles {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV =
      CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

  private BatchFiles() {}

  /** A random cell value: integers, decimals, strings with commas, quotes, line feeds, Unicode. */
  static Object value(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> random.nextInt(2_000_000) - 1_000_000;
      case 1 -> Math.round(random.nextGaussian() * 1e6) / 1e3;
      case 2 -> "plain" + random.nextInt(100);
      case 3 -> "comma, \"quote\" " + random.nextInt(10);
      case 4 -> "line\nfeed ü€ " + random.nextInt(10);
      default -> random.nextInt(10) + 0.5;
    };
  }

  /** {@code rows} random rows of {@code width} values. */
  static List<List<Object>> rows(Random random, int rows, int width) {
    List<List<Object>> all = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      List<Object> row = new ArrayList<>();
      for (int c = 0; c < width; c++) {
        row.add(value(random));
      }
      all.add(row);
    }
    return all;
  }

  static List<String> columns(int width) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      names.add("c" + c);
    }
    return names;
  }

  /**
   * Writes {@code rows} as {@code format} (JSON Lines as objects when {@code objects}), with blank
   * lines and odd spacing where the format allows them.
   */
  static Path write(Path file, FileFormat format, List<List<Object>> rows, boolean objects)
      throws IOException {
    List<String> names = columns(rows.isEmpty() ? 2 : rows.get(0).size());
    StringBuilder text = new StringBuilder();
    switch (format) {
      case JSON -> {
        text.append("{\"columns\": ")
            .append(JSON.writeValueAsString(names))
            .append(",\n \"data\": [");
        for (int r = 0; r < rows.size(); r++) {
          text.append(r == 0 ? "" : r % 3 == 0 ? " ,\n  " : ", ");
          text.append(JSON.writeValueAsString(rows.get(r)));
        }
        text.append("]}\n");
      }
      case JSONL -> {
        for (int r = 0; r < rows.size(); r++) {
          Object row = rows.get(r);
          if (objects) {
            var object = new java.util.LinkedHashMap<String, Object>();
            for (int c = 0; c < names.size(); c++) {
              object.put(names.get(c), rows.get(r).get(c));
            }
            row = object;
          }
          text.append(JSON.writeValueAsString(row)).append(r % 7 == 3 ? "\n\n" : "\n");
        }
      }
      case CSV -> {
        text.append(String.join(",", names)).append("\r\n");
        for (int r = 0; r < rows.size(); r++) {
          List<String> cells = new ArrayList<>();
          for (Object value : rows.get(r)) {
            String cell = value.toString();
            cells.add(value instanceof String ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
          }
          text.append(String.join(",", cells)).append(r % 5 == 2 ? "\n \n" : "\n");
        }
      }
    }
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** The rows of a result file, each as canonical JSON (CSV fields as strings). */
  static List<String> resultRows(Path file, FileFormat format) throws IOException {
    List<String> rows = new ArrayList<>();
    switch (format) {
      case JSON ->
          JSON.readTree(file.toFile()).get("prediction").forEach(r -> rows.add(r.toString()));
      case JSONL -> {
        for (String line : Files.readAllLines(file)) {
          rows.add(JSON.readTree(line).toString());
        }
      }
      case CSV -> {
        try (MappingIterator<List<String>> records =
            CSV.readerForListOf(String.class).readValues(file.toFile())) {
          boolean header = true;
          while (records.hasNextValue()) {
            List<String> record = records.nextValue();
            if (!header) {
              rows.add(JSON.writeValueAsString(record));
            }
            header = false;
          }
        }
      }
    }
    return rows;
  }

  /** The row a model that echoes its input gets and answers, as canonical JSON. */
  static String echoed(List<Object> row, FileFormat output) throws IOException {
    if (output != FileFormat.CSV) {
      JsonNode node = JSON.valueToTree(row);
      return node.toString();
    }
    List<String> cells = new ArrayList<>();
    for (Object value : row) {
      cells.add(value.toString());
    }
    return JSON.writeValueAsString(cells);
  }
}
