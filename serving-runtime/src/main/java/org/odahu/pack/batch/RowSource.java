package org.odahu.pack.batch;

import java.io.Closeable;
import java.io.IOException;

/** Reads one shard's rows of an input file, a chunk at a time, holding at most one chunk. */
interface RowSource extends Closeable {
  /**
   * The next chunk, or {@code null} once the shard's rows are all read.
   *
   * @throws InvalidBatchInputException naming the row or place when the file is not well-formed
   */
  Chunk next() throws IOException;

  /** Bytes of the shard's range read so far. */
  long bytesRead();

  /** Bytes in the shard's range. */
  long bytesTotal();
}
