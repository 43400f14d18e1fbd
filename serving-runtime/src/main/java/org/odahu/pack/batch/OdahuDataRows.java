package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rows of an ODAHU JSON file's {@code data} array, counted by a streaming pass that skips each
 * row unread: constant memory whatever the file's size. Shards of such a file are ranges of row
 * indexes, so each shard needs the count first.
 *
 * @param rows how many rows {@code data} has
 * @param from where the array starts in the file (its {@code [})
 * @param to where it ends (after its {@code ]})
 */
record OdahuDataRows(long rows, long from, long to) {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Counts the rows of {@code file}, whose head (up to {@code data}) is known to be well-formed and
   * whose {@code data} is an array.
   *
   * @throws com.fasterxml.jackson.core.JsonProcessingException if the array is not well-formed
   */
  static OdahuDataRows count(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        JsonParser parser = JSON.createParser(in)) {
      parser.nextToken(); // the object
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        JsonToken value = parser.nextToken();
        if ("data".equals(parser.currentName()) && value == JsonToken.START_ARRAY) {
          return countRows(parser);
        }
        parser.skipChildren();
      }
      throw new IllegalStateException("no \"data\" array in " + file + " on the second pass");
    }
  }

  private static OdahuDataRows countRows(JsonParser parser) throws IOException {
    long from = parser.currentTokenLocation().getByteOffset();
    long rows = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      parser.skipChildren();
      rows++;
    }
    return new OdahuDataRows(rows, from, parser.currentLocation().getByteOffset());
  }
}
