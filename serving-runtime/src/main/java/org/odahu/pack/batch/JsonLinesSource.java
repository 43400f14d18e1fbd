package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.odahu.pack.gppi.PythonJsonInput;
import org.odahu.pack.gppi.RequestJson;

/**
 * JSON Lines: one row per line, either an array of values (the model gets no column names) or an
 * object of column names to values (the columns are the first line's keys, in its order; a later
 * line's missing key is {@code null}, a key the first line does not have is an error). Blank lines
 * are not rows. Values reach the model as the file writes them.
 */
final class JsonLinesSource implements RowSource {

  private final Path file;
  private final ByteRangeStream range;
  private final LineReader lines;
  private final ChunkBuilder chunk;
  private final ObjectRows objects;
  private long row;

  private JsonLinesSource(
      Path file, ByteRangeStream range, ObjectRows objects, long firstRow, int chunkRows) {
    this.file = file;
    this.range = range;
    this.lines = new LineReader(range);
    this.objects = objects;
    this.row = firstRow;
    this.chunk = new ChunkBuilder(chunkRows, objects == null ? null : objects.columns(), firstRow);
  }

  /** Opens {@code file}'s slice for {@code shard}. */
  static JsonLinesSource open(Path file, Shard shard, int chunkRows) throws IOException {
    FileChannel channel = FileChannel.open(file);
    try {
      long size = channel.size();
      ObjectRows objects = ObjectRows.fromFirstLine(file);
      RecordScan.Boundary[] slice =
          shard.isWhole()
              ? new RecordScan.Boundary[] {
                new RecordScan.Boundary(0, 0), new RecordScan.Boundary(size, 0)
              }
              : RecordScan.align(channel, 0, false, shard.start(size), shard.end(size));
      // A UTF-8 byte order mark before the first row is not part of it.
      long start = Math.max(slice[0].offset(), FileSlices.byteOrderMark(channel));
      ByteRangeStream range = new ByteRangeStream(channel, start, slice[1].offset());
      return new JsonLinesSource(file, range, objects, slice[0].rowsBefore() + 1, chunkRows);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public Chunk next() throws IOException {
    while (!chunk.isFull() && nextLine()) {
      byte[] bytes = lines.bytes();
      int from = lines.start();
      int to = lines.end();
      while (from < to && isBlank(bytes[from])) {
        from++;
      }
      while (to > from && isBlank(bytes[to - 1])) {
        to--;
      }
      if (from == to) {
        continue;
      }
      add(bytes, from, to);
      row++;
    }
    return chunk.take();
  }

  private boolean nextLine() throws IOException {
    try {
      return lines.next();
    } catch (LineReader.TooLongException e) {
      throw invalid(e.getMessage());
    }
  }

  private void add(byte[] bytes, int from, int to) throws IOException {
    boolean isObject = bytes[from] == '{';
    if (bytes[from] != '[' && !isObject) {
      throw invalid("a JSON Lines row must be an array or an object");
    }
    if (isObject != (objects != null)) {
      throw invalid(
          "the first row is " + (objects != null ? "an object" : "an array") + ", this one not");
    }
    try {
      if (isObject) {
        objects.add(bytes, from, to, chunk);
      } else {
        chunk.add(bytes, from, to, oneArrayWidth(bytes, from, to));
      }
    } catch (JsonProcessingException e) {
      throw invalid("not well-formed JSON: " + RequestJson.describe(e, false));
    } catch (ObjectRows.UnknownKeyException e) {
      throw invalid(e.getMessage());
    }
  }

  /** The number of values of the array {@code bytes[from .. to)}, checking it is one array. */
  private static int oneArrayWidth(byte[] bytes, int from, int to) throws IOException {
    try (JsonParser parser = PythonJsonInput.parser(bytes, from, to - from)) {
      parser.nextToken();
      int width = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        parser.skipChildren();
        width++;
      }
      if (parser.nextToken() != null) {
        throw new JsonProcessingException("more than one JSON value on the line") {
          private static final long serialVersionUID = 1L;
        };
      }
      return width;
    }
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\r';
  }

  private InvalidBatchInputException invalid(String problem) {
    return new InvalidBatchInputException("Row " + row + " of " + file + ": " + problem);
  }

  @Override
  public long bytesRead() {
    return range.bytesRead();
  }

  @Override
  public long bytesTotal() {
    return range.length();
  }

  @Override
  public void close() throws IOException {
    range.close();
  }
}
