package org.odahu.pack.artifact.files;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Names as their bytes are (a file system's, an archive's), which need not be UTF-8. */
public final class RawNames {
  private RawNames() {}

  /** Whether {@code bytes} are UTF-8. */
  public static boolean isUtf8(byte[] bytes) {
    return !decoder()
        .decode(ByteBuffer.wrap(bytes), CharBuffer.allocate(bytes.length), true)
        .isError();
  }

  /**
   * {@code bytes} for messages: UTF-8 as characters, any other byte as {@code \xNN} (as Python
   * shows it).
   */
  public static String escaped(byte[] bytes) {
    CharsetDecoder decoder = decoder();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    StringBuilder escaped = new StringBuilder();
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      escaped.append(out.flip());
      out.clear();
      if (!result.isError()) {
        break;
      }
      for (int i = 0; i < result.length(); i++) {
        escaped.append("\\x").append(HexFormat.of().toHexDigits(in.get()));
      }
    }
    return escaped.toString();
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }
}
