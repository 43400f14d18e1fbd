package org.odahu.pack.batch;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the reader of an input format. */
final class RowSources {
  private RowSources() {}

  /**
   * Opens {@code shard} of {@code file}, read as {@code format}, in chunks of {@code chunkRows}.
   */
  static RowSource open(Path file, FileFormat format, Shard shard, int chunkRows)
      throws IOException {
    return switch (format) {
      case JSON -> OdahuJsonSource.open(file, shard, chunkRows);
      case JSONL -> JsonLinesSource.open(file, shard, chunkRows);
      case CSV -> CsvSource.open(file, shard, chunkRows);
    };
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
