package org.odahu.pack.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch prediction: which rows of which file, in chunks of how many rows, into which file.
 *
 * @param input the input file
 * @param inputFormat its format
 * @param output the result file (its name already carries the shard, see {@link Shard#fileName})
 * @param outputFormat the result file's format
 * @param shard the part of the input to predict
 * @param chunkRows the most rows of one model call
 * @param onError what a chunk the model cannot predict does
 */
public record BatchRequest(
    Path input,
    FileFormat inputFormat,
    Path output,
    FileFormat outputFormat,
    Shard shard,
    int chunkRows,
    ErrorPolicy onError) {

  /** Rows of one model call unless set: large enough to amortise a call, small in memory. */
  public static final int DEFAULT_CHUNK_ROWS = 10_000;

  public BatchRequest {
    List<String> problems = new ArrayList<>();
    if (input == null) {
      problems.add("input must be set");
    }
    if (output == null) {
      problems.add("output must be set");
    }
    if (inputFormat == null || outputFormat == null) {
      problems.add("inputFormat and outputFormat must be set");
    }
    if (shard == null || onError == null) {
      problems.add("shard and onError must be set");
    }
    if (chunkRows < 1) {
      problems.add("chunkRows must be at least 1, got " + chunkRows);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * The most chunks the input can hold: a row takes at least one byte, so a file of {@code n} bytes
   * has at most {@code n} rows; {@link Long#MAX_VALUE} when the input is not a regular file (a
   * pipe) or its size cannot be read.
   */
  long mostChunks() {
    try {
      BasicFileAttributes file = Files.readAttributes(input, BasicFileAttributes.class);
      if (file.isRegularFile()) {
        return Math.max(1, (file.size() + chunkRows - 1) / chunkRows);
      }
    } catch (IOException e) {
      // unknown: no bound
    }
    return Long.MAX_VALUE;
  }

  /**
   * ODAHU's batch prediction: the JSON file {@code input} into {@code output}, whole, with the
   * default chunk size, stopping at the first error.
   */
  public static BatchRequest odahu(Path input, Path output) {
    return new BatchRequest(
        input,
        FileFormat.JSON,
        output,
        FileFormat.JSON,
        Shard.WHOLE,
        DEFAULT_CHUNK_ROWS,
        ErrorPolicy.FAIL);
  }
}
