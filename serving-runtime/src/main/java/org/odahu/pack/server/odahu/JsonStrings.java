package org.odahu.pack.server.odahu;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.odahu.pack.gppi.RequestJson;

/**
 * The strings of a JSON document as orjson (ODAHU's parser) accepts them: a {@code \}{@code uD800}
 * escape that is not half of a surrogate pair is a syntax error there, and would fail later in
 * Python (as text that cannot be encoded), so it is one here too.
 */
final class JsonStrings {
  private static final JsonFactory JSON = RequestJson.factory();

  private JsonStrings() {}

  /**
   * Fails on the first string or key holding an unpaired surrogate escape. Cheap for the documents
   * that cannot hold one (no {@code \}{@code uD8}..{@code \}{@code uDF} in the text).
   *
   * @throws IOException if the document is not valid JSON up to there, or has such a string
   */
  static void checkSurrogates(byte[] body) throws IOException {
    if (!mayHoldSurrogateEscape(body)) {
      return;
    }
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
          String text = token == JsonToken.FIELD_NAME ? parser.currentName() : parser.getText();
          if (hasLoneSurrogate(text)) {
            JsonLocation at = parser.currentTokenLocation();
            throw new JsonParseException(
                parser,
                "lone surrogate in a string at line "
                    + at.getLineNr()
                    + ", column "
                    + at.getColumnNr());
          }
        }
      }
    }
  }

  private static boolean mayHoldSurrogateEscape(byte[] body) {
    for (int i = 0; i + 3 < body.length; i++) {
      if (body[i] == '\\'
          && body[i + 1] == 'u'
          && (body[i + 2] == 'd' || body[i + 2] == 'D')
          && "89abcdefABCDEF".indexOf(body[i + 3]) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return true;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
