package org.odahu.pack.batch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.artifact.testing.Examples;

/** Input files of any size for the wine model: the example data set's rows, over and over. */
final class WineFiles {
  /** The wine model's input columns, as the data set names them. */
  final List<String> columns;

  /** The data set's rows without its label ({@code quality}), as the CSV writes the values. */
  final List<List<String>> rows;

  private WineFiles(List<String> columns, List<List<String>> rows) {
    this.columns = columns;
    this.rows = rows;
  }

  static WineFiles load() throws IOException {
    List<String> lines = Files.readAllLines(Examples.data("wine-quality.csv"));
    List<String> header = new ArrayList<>();
    for (String name : lines.get(0).split(",", -1)) {
      header.add(name.replace("\"", ""));
    }
    int quality = header.indexOf("quality");
    header.remove(quality);
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> values = new ArrayList<>(List.of(line.split(",", -1)));
      values.remove(quality);
      rows.add(values);
    }
    return new WineFiles(header, rows);
  }

  /** Row {@code i} (from 0) of a generated file. */
  List<String> row(long i) {
    return rows.get((int) (i % rows.size()));
  }

  /** {@code count} rows as JSON Lines objects; {@code poison} rows (from 0) get a string value. */
  Path jsonl(Path file, long count, long... poison) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (long i = 0; i < count; i++) {
        List<String> values = row(i);
        StringBuilder line = new StringBuilder("{");
        for (int c = 0; c < columns.size(); c++) {
          String value = isPoison(i, poison) && c == 0 ? "\"not a number\"" : values.get(c);
          line.append(c == 0 ? "" : ", ").append('"').append(columns.get(c)).append("\": ");
          line.append(value);
        }
        out.write(line.append("}\n").toString());
      }
    }
    return file;
  }

  /** {@code count} rows as CSV with a quoted header, every other value quoted too. */
  Path csv(Path file, long count) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      List<String> header = new ArrayList<>();
      columns.forEach(name -> header.add("\"" + name + "\""));
      out.write(String.join(",", header) + "\r\n");
      for (long i = 0; i < count; i++) {
        List<String> values = new ArrayList<>(row(i));
        for (int c = 0; c < values.size(); c += 2) {
          values.set(c, "\"" + values.get(c) + "\"");
        }
        out.write(String.join(",", values) + "\r\n");
      }
    }
    return file;
  }

  /** {@code count} rows as ODAHU's JSON request. */
  Path odahuJson(Path file, long count) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      List<String> names = new ArrayList<>();
      columns.forEach(name -> names.add("\"" + name + "\""));
      out.write("{\"columns\": [" + String.join(", ", names) + "], \"data\": [");
      for (long i = 0; i < count; i++) {
        out.write((i == 0 ? "[" : ", [") + String.join(", ", row(i)) + "]");
      }
      out.write("]}");
    }
    return file;
  }

  private static boolean isPoison(long i, long[] poison) {
    for (long p : poison) {
      if (p == i) {
        return true;
      }
    }
    return false;
  }
}
