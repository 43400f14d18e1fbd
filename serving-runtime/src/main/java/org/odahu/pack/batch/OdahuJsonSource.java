package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.PythonJsonInput;
import org.odahu.pack.gppi.RequestJson;

/**
 * ODAHU's request file {@code {"columns": [...], "data": [[...], ...]}}, read row by row with
 * Jackson's streaming parser: whatever its size, only one chunk of rows is held. The parser finds
 * where the rows are; a chunk's text is then read from the file as one slice, so rows and column
 * names reach the model exactly as the file has them. The checks and messages are ODAHU's (an
 * object, a truthy {@code data}); a {@code data} that is not an array is read whole and predicted
 * in one call, as ODAHU did. A shard is a range of row indexes: a first pass counts the rows.
 */
final class OdahuJsonSource implements RowSource {
  private final Path file;
  private final Shard shard;
  private final int chunkRows;
  private final FileChannel channel;
  private final JsonParser parser;
  private final long size;
  private JsonText columns;
  // Whether columns came before data: a second one after it is refused.
  private boolean columnsFirst;
  private long firstRow;
  private long endRow = Long.MAX_VALUE;
  private long rangeStart = -1;
  private long rangeBytes;
  private long[] bounds = new long[64];
  private int rows;
  private int width;
  private long rowsBefore;
  private long sequence;
  private Chunk whole;
  private boolean done;

  private OdahuJsonSource(Path file, Shard shard, int chunkRows) throws IOException {
    this.file = file;
    this.shard = shard;
    this.chunkRows = chunkRows;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.size = channel.size();
    this.parser = PythonJsonInput.streaming(Channels.newInputStream(FileChannel.open(file)));
  }

  /** Opens {@code file} and reads up to its first row. */
  static OdahuJsonSource open(Path file, Shard shard, int chunkRows) throws IOException {
    OdahuJsonSource source = new OdahuJsonSource(file, shard, chunkRows);
    try {
      source.readHead();
      return source;
    } catch (JsonProcessingException e) {
      source.close();
      throw source.notJson(e);
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
  }

  private void readHead() throws IOException {
    if (channel.size() == 0) {
      throw invalid("The input file is empty");
    }
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw invalid("Request body must be a JSON object with a \"data\" matrix");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("data".equals(field)) {
        columns = columnsFirst ? columns : OdahuValues.columnsOf(file);
        startData(value);
        if (value == JsonToken.START_ARRAY && !shard.isWhole()) {
          selectRows(OdahuDataRows.count(file));
        }
        return;
      }
      long from = parser.currentTokenLocation().getByteOffset();
      skipValue();
      if ("columns".equals(field)) {
        columns = slice(from, offset());
        columnsFirst = true;
      }
    }
    throw invalid("Matrix is not provided");
  }

  private JsonText slice(long from, long to) throws IOException {
    byte[] text = FileSlices.read(channel, from, to);
    return JsonText.slice(text, 0, text.length);
  }

  private void startData(JsonToken value) throws IOException {
    if (value == JsonToken.START_ARRAY) {
      return;
    }
    // Not rows: the model gets the value whole, in one call (pandas decides what it means).
    long from = parser.currentTokenLocation().getByteOffset();
    boolean falsy = OdahuValues.isFalsyScalar(parser, value);
    skipValue();
    byte[] text = FileSlices.read(channel, from, offset());
    if (falsy || OdahuValues.isEmptyObject(value, text)) {
      throw invalid("Matrix is not provided");
    }
    if (!shard.isWhole()) {
      throw invalid("its \"data\" is not an array of rows, so it cannot be cut into shards");
    }
    refuseWhatPythonDoesNot(text);
    whole = OdahuValues.wholeChunk(columns, text);
    finishDocument(1);
  }

  /**
   * This shard's rows, {@code [floor(n*I/N), floor(n*(I+1)/N))} of {@code n}, so shards differ by
   * one row at most; its bytes (for progress) are estimated at the array's average row size.
   */
  private void selectRows(OdahuDataRows data) {
    if (data.problem() != null) {
      throw invalid(data.problem());
    }
    if (data.rows() == 0) {
      throw invalid("Matrix is not provided");
    }
    firstRow = shard.start(data.rows());
    endRow = shard.end(data.rows());
    double perRow = (double) (data.to() - data.from()) / data.rows();
    rangeBytes = Math.round(perRow * (endRow - firstRow));
  }

  @Override
  public Chunk next() throws IOException {
    if (whole != null) {
      Chunk only = whole;
      whole = null;
      return only;
    }
    if (done) {
      return null;
    }
    try {
      readRows();
      return take();
    } catch (JsonProcessingException e) {
      throw notJson(e);
    }
  }

  private void readRows() throws IOException {
    while (rows < chunkRows
        && (rows == 0 || bounds[2 * rows - 1] - bounds[0] < ChunkBuilder.CHUNK_BYTES)) {
      JsonToken token = parser.nextToken();
      if (token == JsonToken.END_ARRAY) {
        finishDocument(rowsBefore + rows);
        return;
      }
      long index = rowsBefore + rows;
      if (index >= endRow) {
        done = true; // the next shard's rows: the counting pass checked them
        return;
      }
      long from = parser.currentTokenLocation().getByteOffset();
      int values = skipRow(token);
      if (index < firstRow) {
        rowsBefore++;
        continue;
      }
      if (offset() - from > ChunkBuilder.MAX_BYTES) {
        throw invalid(
            "Row "
                + (index + 1)
                + " is longer than "
                + (ChunkBuilder.MAX_BYTES >> 20)
                + " MiB, the most a row may take");
      }
      if (rangeStart < 0) {
        rangeStart = from;
      }
      if (2 * rows + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, 2 * bounds.length);
      }
      bounds[2 * rows] = from;
      bounds[2 * rows + 1] = offset();
      width = rows == 0 || width == values ? values : -1;
      rows++;
    }
  }

  /** The rows found as a chunk: the file's text from the first row's start to the last's end. */
  private Chunk take() throws IOException {
    if (rows == 0) {
      return null;
    }
    long from = bounds[0];
    long to = bounds[2 * rows - 1];
    byte[] data = new byte[Math.toIntExact(to - from + 2)];
    data[0] = '[';
    FileSlices.read(channel, from, to, data, 1);
    data[data.length - 1] = ']';
    refuseWhatPythonDoesNot(data);
    int[] relative = new int[2 * rows];
    for (int i = 0; i < relative.length; i++) {
      relative[i] = (int) (bounds[i] - from + 1);
    }
    Chunk chunk = ChunkBuilder.chunk(sequence++, rowsBefore + 1, columns, data, relative, width);
    rowsBefore += rows;
    rows = 0;
    return chunk;
  }

  /**
   * The parser reads NaN and Infinity as Python's {@code json.load} does, and also Jackson's other
   * spellings, which Python refuses: so are they here, before a model's worker would fail on them.
   */
  private static void refuseWhatPythonDoesNot(byte[] text) throws IOException {
    PythonJsonInput.parser(text, 0, text.length).close();
  }

  /** Reads what follows the rows: other keys, the end of the object, nothing after it. */
  private void finishDocument(long rowsInFile) throws IOException {
    done = true;
    if (rowsInFile == 0 && shard.isWhole()) {
      throw invalid("Matrix is not provided");
    }
    String problem = OdahuDataRows.rest(parser, columnsFirst);
    if (problem != null) {
      throw invalid(problem);
    }
  }

  /** Skips the row at {@code token}: the number of its values if it is an array, else -1. */
  private int skipRow(JsonToken token) throws IOException {
    if (token != JsonToken.START_ARRAY) {
      skipValue();
      return -1;
    }
    int values = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      skipValue();
      values++;
    }
    return values;
  }

  private void skipValue() throws IOException {
    parser.skipChildren();
    parser.finishToken();
  }

  private long offset() {
    return parser.currentLocation().getByteOffset();
  }

  private InvalidBatchInputException notJson(JsonProcessingException e) {
    return new InvalidBatchInputException(
        "Can not parse input as JSON: " + RequestJson.describe(e, true) + " (in " + file + ")", e);
  }

  private InvalidBatchInputException invalid(String message) {
    return new InvalidBatchInputException(message + " (in " + file + ")");
  }

  @Override
  public long bytesRead() {
    if (shard.isWhole()) {
      return Math.min(size, offset());
    }
    return rangeStart < 0 ? 0 : Math.min(rangeBytes, offset() - rangeStart);
  }

  @Override
  public long bytesTotal() {
    return shard.isWhole() ? size : rangeBytes;
  }

  @Override
  public void close() throws IOException {
    try (channel) {
      parser.close();
    }
  }
}
