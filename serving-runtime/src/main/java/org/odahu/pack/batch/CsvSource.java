package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.RequestJson;

/**
 * CSV (RFC 4180, read by Jackson's CSV module): the first record names the columns, every other
 * non-blank record is a row with one value per column. A cell becomes a JSON value as follows: a
 * cell that is a JSON number ({@code 7}, {@code -0.5}, {@code 1e-3}) is that number, an empty cell
 * is {@code null}, any other cell is a string (quoted or not: {@code "7"} is the number 7, {@code
 * true} the string "true"). Bytes that are not UTF-8 are refused, naming their row.
 */
final class CsvSource implements RowSource {
  private static final CsvMapper CSV =
      CsvMapper.builder(CsvFactory.builder().streamReadConstraints(RequestJson.CONSTRAINTS).build())
          .enable(CsvParser.Feature.WRAP_AS_ARRAY)
          .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
          .build();
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final long MAX_HEADER_BYTES = 16 << 20;

  private final Path file;
  private final FileChannel channel;
  private final ByteRangeStream range;
  private final MappingIterator<String[]> records;
  private final int width;
  private final RecordScan.Boundary start;
  private final ChunkBuilder chunk;
  private final ByteArrayOutputStream row = new ByteArrayOutputStream(256);
  private long rowNumber;

  private CsvSource(
      Path file,
      FileChannel channel,
      RecordScan.Boundary start,
      long end,
      String[] header,
      int rows)
      throws IOException {
    this.file = file;
    this.channel = channel;
    this.range = new ByteRangeStream(channel, start.offset(), end);
    // Decoded here, not by Jackson: from bytes, Jackson takes a row that starts with a zero byte
    // for UTF-16 and reads the rest of the slice so.
    this.records = CSV.readerFor(String[].class).readValues(new Utf8Reader(range, start.offset()));
    this.width = header.length;
    this.start = start;
    this.rowNumber = start.rowsBefore() + 1;
    this.chunk = new ChunkBuilder(rows, columns(header), rowNumber);
  }

  /** Opens {@code file}'s slice for {@code shard}, after reading its header. */
  static CsvSource open(Path file, Shard shard, int chunkRows) throws IOException {
    FileChannel channel = FileChannel.open(file);
    try {
      long size = channel.size();
      long headerStart = RecordScan.firstContentLine(channel, MAX_HEADER_BYTES);
      long dataStart = RecordScan.align(channel, headerStart, true, headerStart + 1)[0].offset();
      if (dataStart > MAX_HEADER_BYTES) {
        throw new InvalidBatchInputException(
            "The CSV file "
                + file
                + "'s first record, which must name the columns, is over "
                + (MAX_HEADER_BYTES >> 20)
                + " MiB: is a quoted name left open?");
      }
      String[] header = header(FileSlices.read(channel, 0, dataStart), file);
      RecordScan.Boundary[] slice =
          shard.isWhole()
              ? new RecordScan.Boundary[] {
                new RecordScan.Boundary(dataStart, 0), new RecordScan.Boundary(size, 0)
              }
              : RecordScan.align(
                  channel,
                  dataStart,
                  true,
                  Math.max(dataStart, shard.start(size)),
                  Math.max(dataStart, shard.end(size)));
      return new CsvSource(file, channel, slice[0], slice[1].offset(), header, chunkRows);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static String[] header(byte[] bytes, Path file) throws IOException {
    int bom = FileSlices.byteOrderMark(bytes);
    try (MappingIterator<String[]> records =
        CSV.readerFor(String[].class)
            .readValues(
                new Utf8Reader(new ByteArrayInputStream(bytes, bom, bytes.length - bom), bom))) {
      if (!records.hasNextValue()) {
        throw new InvalidBatchInputException(
            "The CSV file " + file + " is empty: its first line must name the columns");
      }
      return records.nextValue();
    } catch (IOException | RuntimeException e) {
      Utf8Reader.MalformedException malformed = malformed(e);
      if (malformed == null) {
        throw e;
      }
      throw new InvalidBatchInputException(
          "The header row of " + file + " is not well-formed CSV: " + malformed.getMessage(),
          malformed);
    }
  }

  /** The UTF-8 failure that caused {@code e} (the parser may wrap it), or {@code null}. */
  private static Utf8Reader.MalformedException malformed(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof Utf8Reader.MalformedException malformed) {
        return malformed;
      }
    }
    return null;
  }

  private static JsonText columns(String[] header) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    json.write('[');
    for (int i = 0; i < header.length; i++) {
      if (i > 0) {
        json.write(',');
      }
      writeString(header[i], json);
    }
    json.write(']');
    byte[] text = json.toByteArray();
    return JsonText.slice(text, 0, text.length);
  }

  @Override
  public Chunk next() throws IOException {
    try {
      while (!chunk.isFull() && records.hasNextValue()) {
        String[] cells = records.nextValue();
        if (cells.length != width) {
          throw new InvalidBatchInputException(
              "Row "
                  + rowNumber
                  + " of "
                  + file
                  + " has "
                  + cells.length
                  + " values, the header names "
                  + width
                  + " columns");
        }
        row.reset();
        row.write('[');
        for (int i = 0; i < cells.length; i++) {
          if (i > 0) {
            row.write(',');
          }
          writeCell(cells[i]);
        }
        row.write(']');
        chunk.add(row.toByteArray(), 0, row.size(), width);
        rowNumber++;
      }
    } catch (IOException | RuntimeException e) {
      Utf8Reader.MalformedException malformed = malformed(e);
      if (malformed != null) {
        throw notUtf8(malformed);
      }
      JsonProcessingException parsing =
          e instanceof JsonProcessingException direct
              ? direct
              : e instanceof RuntimeException
                      && e.getCause() instanceof JsonProcessingException cause
                  ? cause
                  : null;
      if (parsing == null) {
        throw e;
      }
      throw new InvalidBatchInputException(
          "Row "
              + rowNumber
              + " of "
              + file
              + " is not well-formed CSV: "
              + RequestJson.describe(parsing, false),
          parsing);
    }
    return chunk.take();
  }

  /**
   * The failure for bytes that are not UTF-8, naming their row: found by scanning the records
   * before them, as the parser may have read past the rows it handed out.
   */
  private InvalidBatchInputException notUtf8(Utf8Reader.MalformedException e) throws IOException {
    long before = RecordScan.align(channel, start.offset(), true, e.offset() + 1)[0].rowsBefore();
    return new InvalidBatchInputException(
        "Row "
            + (start.rowsBefore() + before)
            + " of "
            + file
            + " is not well-formed CSV: "
            + e.getMessage(),
        e);
  }

  private void writeCell(String cell) {
    if (cell.isEmpty()) {
      row.writeBytes(NULL);
    } else if (JsonNumbers.isNumber(cell)) {
      row.writeBytes(cell.getBytes(StandardCharsets.US_ASCII));
    } else {
      writeString(cell, row);
    }
  }

  private static void writeString(String value, ByteArrayOutputStream out) {
    out.write('"');
    out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(value));
    out.write('"');
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
    try (range) {
      records.close();
    }
  }
}
