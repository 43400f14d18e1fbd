package org.odahu.pack.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the reader of an input format. */
final class RowSources {
  private RowSources() {}

  /**
   * Opens {@code shard} of {@code file}, read as {@code format}, in chunks of {@code chunkRows}.
   *
   * @throws InvalidBatchInputException if the file is in UTF-16 or UTF-32, not UTF-8
   */
  static RowSource open(Path file, FileFormat format, Shard shard, int chunkRows)
      throws IOException {
    String encoding;
    try (InputStream in = Files.newInputStream(file)) {
      encoding = wideEncoding(in.readNBytes(4));
    }
    if (encoding != null) {
      // Unrefused, Jackson reads such JSON as characters, whose offsets the row slicer does not
      // take (an internal error), and CSV comes out as rows of garbled values.
      throw new InvalidBatchInputException(
          "The input file "
              + file
              + " is not UTF-8 (it looks like "
              + encoding
              + "): save it as UTF-8");
    }
    return switch (format) {
      case JSON -> OdahuJsonSource.open(file, shard, chunkRows);
      case JSONL -> JsonLinesSource.open(file, shard, chunkRows);
      case CSV -> CsvSource.open(file, shard, chunkRows);
    };
  }

  /**
   * {@code UTF-16} or {@code UTF-32} if a file starting with {@code head} (its first 4 bytes) is
   * text in that encoding: a byte order mark, or a zero byte among the first two, which no input
   * format's UTF-8 text starts with; else {@code null}.
   */
  static String wideEncoding(byte[] head) {
    if (head.length < 2) {
      return null;
    }
    int first = head[0] & 0xFF;
    int second = head[1] & 0xFF;
    boolean mark = (first == 0xFE && second == 0xFF) || (first == 0xFF && second == 0xFE);
    if (!mark && first != 0 && second != 0) {
      return null;
    }
    boolean wideZeros = head.length == 4 && head[2] == 0 && head[3] == 0;
    boolean utf32 = (first == 0 && second == 0) || (wideZeros && (second == 0 || second == 0xFE));
    return utf32 ? "UTF-32" : "UTF-16";
  }

  /** The writer of an output format. */
  static ResultWriter writer(FileFormat format, java.io.OutputStream out) {
    return switch (format) {
      case JSON -> new OdahuJsonWriter(out);
      case JSONL -> new JsonLinesWriter(out);
      case CSV -> new CsvWriter(out);
    };
  }
}
