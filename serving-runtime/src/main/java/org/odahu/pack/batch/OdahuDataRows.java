package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.odahu.pack.gppi.PythonJsonInput;

/**
 * The rows of an ODAHU JSON file's {@code data} array, counted by a streaming pass that skips each
 * row unread: constant memory whatever the file's size. Shards of such a file are ranges of row
 * indexes, so each shard needs the count first; the pass also reads the rest of the document, so
 * every shard refuses what the whole file would be refused for.
 *
 * @param rows how many rows {@code data} has
 * @param from where the array starts in the file (its {@code [})
 * @param to where it ends (after its {@code ]})
 * @param problem why the document after the array is refused ({@link #DATA_TWICE}, {@link
 *     #COLUMNS_TWICE}, {@link #TRAILING}), or {@code null}
 */
record OdahuDataRows(long rows, long from, long to, String problem) {
  static final String DATA_TWICE = "\"data\" is given twice";

  /**
   * Python's {@code json.load} keeps the last {@code columns}, but rows read before a later one
   * would have gone to the model with the first: refused rather than predicted with the wrong one.
   */
  static final String COLUMNS_TWICE =
      "\"columns\" is given twice, before and after \"data\": give it once";

  static final String TRAILING =
      "Can not parse input as JSON: unexpected content after the JSON object";

  /**
   * Counts the rows of {@code file}, whose head (up to {@code data}) is known to be well-formed and
   * whose {@code data} is an array.
   *
   * @throws com.fasterxml.jackson.core.JsonProcessingException if the array is not well-formed
   */
  static OdahuDataRows count(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        JsonParser parser = PythonJsonInput.streaming(in)) {
      parser.nextToken(); // the object
      boolean columns = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        columns |= "columns".equals(parser.currentName());
        JsonToken value = parser.nextToken();
        if ("data".equals(parser.currentName()) && value == JsonToken.START_ARRAY) {
          return countRows(parser, columns);
        }
        parser.skipChildren();
      }
      throw new IllegalStateException("no \"data\" array in " + file + " on the second pass");
    }
  }

  private static OdahuDataRows countRows(JsonParser parser, boolean columns) throws IOException {
    long from = parser.currentTokenLocation().getByteOffset();
    long rows = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      parser.skipChildren();
      rows++;
    }
    long to = parser.currentLocation().getByteOffset();
    return new OdahuDataRows(rows, from, to, rest(parser, columns));
  }

  /**
   * Reads the document after {@code data} as {@link OdahuJsonSource} does for a whole file; {@code
   * columns}: whether {@code columns} came before {@code data}.
   */
  static String rest(JsonParser parser, boolean columns) throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      if ("data".equals(parser.currentName())) {
        return DATA_TWICE;
      }
      if (columns && "columns".equals(parser.currentName())) {
        return COLUMNS_TWICE;
      }
      parser.nextToken();
      parser.skipChildren();
    }
    return token != JsonToken.END_OBJECT || parser.nextToken() != null ? TRAILING : null;
  }
}
