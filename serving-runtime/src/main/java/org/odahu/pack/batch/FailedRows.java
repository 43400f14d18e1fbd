package org.odahu.pack.batch;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.odahu.pack.artifact.files.ExitCleanup;

/**
 * The side file of {@code --on-error skip}: one JSON line per row of a failed chunk, {@code {"row":
 * 12, "error": "...", "data": [...]}} (the input row number, why its chunk failed, and the row as
 * the model got it). Created only when a chunk fails; a side file left by an earlier run is removed
 * when this one has no failed rows.
 */
final class FailedRows implements AutoCloseable {
  private final Path target;
  private final ExitCleanup cleanup;
  private OutputFile file;
  private long rows;

  FailedRows(Path target, ExitCleanup cleanup) {
    this.target = target;
    this.cleanup = cleanup;
  }

  /** The side file's name for the result file {@code results}: {@code results.errors.jsonl}. */
  static Path of(Path results) {
    String name = results.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot <= 0 ? name : name.substring(0, dot);
    return results.resolveSibling(base + ".errors.jsonl");
  }

  /** Writes every row of {@code chunk} with {@code error}. */
  void add(Chunk chunk, String error) throws IOException {
    if (file == null) {
      file = OutputFile.create(target, cleanup);
    }
    byte[] message = JsonStringEncoder.getInstance().quoteAsUTF8(error);
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    ByteArrayOutputStream row = new ByteArrayOutputStream(256);
    for (int i = 0; i < chunk.rows(); i++) {
      line.reset();
      line.writeBytes(ascii("{\"row\": " + (chunk.firstRow() + i) + ", \"error\": \""));
      line.writeBytes(message);
      line.writeBytes(ascii("\", \"data\": "));
      row.reset();
      chunk.writeRow(i, row);
      writeOnOneLine(row.toByteArray(), line);
      line.writeBytes(ascii("}\n"));
      line.writeTo(file.stream());
    }
    rows += chunk.rows();
  }

  /**
   * The row's JSON without the white space between its tokens, so that a row of a pretty-printed
   * input stays on its line; strings are copied as they are (a line break in them is escaped).
   */
  private static void writeOnOneLine(byte[] json, ByteArrayOutputStream out) {
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (inString) {
        out.write(b);
        if (b == '\\') {
          out.write(json[++i]);
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
        out.write(b);
      } else if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        out.write(b);
      }
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Rows written so far. */
  long rows() {
    return rows;
  }

  /** Gives the side file its name if rows failed, else removes an old one. */
  void commit() throws IOException {
    if (file != null) {
      file.commit();
    } else {
      Files.deleteIfExists(target);
    }
  }

  /** The side file, if rows failed. */
  Path path() {
    return file == null ? null : target;
  }

  @Override
  public void close() throws IOException {
    if (file != null) {
      file.close();
    }
  }
}
