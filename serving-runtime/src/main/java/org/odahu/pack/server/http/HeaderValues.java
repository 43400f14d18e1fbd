package org.odahu.pack.server.http;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Header values as clients write non-ASCII ones, in UTF-8. Netty reads each byte of a header as one
 * Latin-1 character, so {@code été} arrived as {@code Ã©tÃ©} in feedback answers and capture
 * records; ODAHU's Go collector kept the bytes. A value whose bytes are no valid UTF-8 stays
 * Latin-1.
 */
final class HeaderValues {
  private HeaderValues() {}

  /** {@code headers} with each non-ASCII value that is UTF-8 decoded as such. */
  static List<Map.Entry<String, String>> utf8(List<Map.Entry<String, String>> headers) {
    List<Map.Entry<String, String>> decoded = null;
    for (int i = 0; i < headers.size(); i++) {
      Map.Entry<String, String> header = headers.get(i);
      String value = header.getValue();
      if (isAscii(value)) {
        continue;
      }
      String text = utf8(value);
      if (text != null) {
        if (decoded == null) {
          decoded = new ArrayList<>(headers);
        }
        decoded.set(i, Map.entry(header.getKey(), text));
      }
    }
    return decoded == null ? headers : decoded;
  }

  private static boolean isAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** The UTF-8 text of {@code latin1}'s bytes, or null when they are no UTF-8. */
  static String utf8(String latin1) {
    try {
      return RequestPath.strictUtf8(latin1.getBytes(StandardCharsets.ISO_8859_1));
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
