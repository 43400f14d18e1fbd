package org.odahu.pack.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.odahu.pack.gppi.Prediction;

/**
 * Puts the chunks' answers together, in input order. An input predicted in one call (one chunk, no
 * shards) is written exactly as the model answered, as ODAHU's CLI did, even when the answer is not
 * one row per input row. Otherwise every answer must have one row per input row, and all the same
 * column names: a model that answers otherwise (an aggregate, a fixed answer) cannot be cut into
 * chunks, and says so rather than writing rows that do not match.
 */
final class OrderedResults {
  private final ResultWriter writer;
  private final boolean sharded;
  private Chunk pendingChunk;
  private Prediction pending;
  private byte[] columns;
  private long chunks;

  OrderedResults(ResultWriter writer, boolean sharded) {
    this.writer = writer;
    this.sharded = sharded;
  }

  /** The answer to the next chunk in input order. */
  void add(Chunk chunk, Prediction prediction) throws IOException {
    chunks++;
    if (chunks == 1 && !sharded) {
      pendingChunk = chunk;
      pending = prediction;
      return;
    }
    if (pending != null) {
      write(pendingChunk, pending);
      pending = null;
      pendingChunk = null;
    }
    write(chunk, prediction);
  }

  /** A chunk whose rows were skipped: its place in the order is taken. */
  void skip() throws IOException {
    chunks++;
    if (pending != null) {
      write(pendingChunk, pending);
      pending = null;
      pendingChunk = null;
    }
  }

  private void write(Chunk chunk, Prediction prediction) throws IOException {
    PredictionRows rows = PredictionRows.of(prediction.predictionJson());
    if (rows.count() != chunk.rows()) {
      throw new AnswerShapeException(
          "The model answered "
              + (rows.isArray() ? rows.count() + " rows" : "a value that is not an array")
              + " to "
              + chunk.describeRows()
              + " ("
              + chunk.rows()
              + " rows): it does not predict row by row, so its input cannot be cut into chunks"
              + " or shards. Predict the whole input in one call: no shards, more rows per chunk"
              + " than the input has (--chunk-rows), and a heap of more than 32 times the input's"
              + " size, since a chunk is also cut at a 32nd of the heap ("
              + (ChunkBuilder.CHUNK_BYTES >> 20)
              + " MiB here; ODAHU_PACK_JAVA_OPTS=-Xmx4g, or JDK_JAVA_OPTIONS in an image)");
    }
    if (columns == null) {
      columns = prediction.columnsJson();
    } else if (!Arrays.equals(columns, prediction.columnsJson())) {
      throw new AnswerShapeException(
          "The model answered the columns "
              + new String(prediction.columnsJson(), StandardCharsets.UTF_8)
              + " to "
              + chunk.describeRows()
              + " and "
              + new String(columns, StandardCharsets.UTF_8)
              + " to the rows before");
    }
    writer.rows(rows, columns);
  }

  /** Ends the output after the last chunk. */
  void finish() throws IOException {
    if (pending != null) {
      writer.whole(pending);
      writer.finish(pending.columnsJson());
      return;
    }
    writer.finish(columns);
  }
}
