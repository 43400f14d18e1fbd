package org.odahu.pack.server.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;
import org.odahu.pack.server.http.JsonBodies;

/** Values of a JSON document as the client wrote them: slices of its text, never re-encoded. */
final class JsonSlices {
  private JsonSlices() {}

  /**
   * The text of the value at {@code parser}'s current token, which the parser reads to its end. The
   * parser reads the whole of {@code source} from its first byte.
   */
  static String slice(JsonParser parser, byte[] source) throws IOException {
    int start = (int) parser.currentTokenLocation().getByteOffset();
    parser.skipChildren();
    parser.finishToken();
    int end = (int) parser.currentLocation().getByteOffset();
    return new String(source, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@code text} as a JSON string. */
  static String quote(String text) {
    return '"' + JsonBodies.escape(text) + '"';
  }

  /** A JSON array of {@code names}. */
  static String names(List<String> names) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < names.size(); i++) {
      json.append(i == 0 ? "" : ",").append(quote(names.get(i)));
    }
    return json.append(']').toString();
  }

  /** A JSON array of rows, each a JSON array of the given JSON values. */
  static String rows(List<List<String>> rows) {
    StringBuilder json = new StringBuilder("[");
    for (int r = 0; r < rows.size(); r++) {
      json.append(r == 0 ? "[" : ",[");
      List<String> row = rows.get(r);
      for (int c = 0; c < row.size(); c++) {
        json.append(c == 0 ? "" : ",").append(row.get(c));
      }
      json.append(']');
    }
    return json.append(']').toString();
  }
}
