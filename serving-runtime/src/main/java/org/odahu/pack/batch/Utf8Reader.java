package org.odahu.pack.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The characters of a UTF-8 byte stream, refusing bytes that are not UTF-8 (a stray byte, an
 * encoded surrogate, a character cut short) where {@link java.io.InputStreamReader} would put
 * U+FFFD in their place. The characters before such bytes are handed out first; the failure names
 * where they are, so that the caller can name the record holding them whatever it has read ahead.
 */
final class Utf8Reader extends Reader {

  /** Bytes that are not UTF-8, described as the JSON parser describes them. */
  static final class MalformedException extends CharacterCodingException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String problem;

    MalformedException(long offset, String problem) {
      this.offset = offset;
      this.problem = problem;
    }

    /** Where the bytes start, as an offset of the reader's origin. */
    long offset() {
      return offset;
    }

    @Override
    public String getMessage() {
      return problem;
    }
  }

  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports errors
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
  private final char[] pair = new char[2];
  private long bufferOffset;
  private int pending = -1;
  private boolean eof;

  /**
   * @param in the bytes
   * @param origin the offset of {@code in}'s first byte, for {@link MalformedException#offset()}
   */
  Utf8Reader(InputStream in, long origin) {
    this.in = in;
    this.bufferOffset = origin;
  }

  @Override
  public int read(char[] target, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, target.length);
    if (len == 0) {
      return 0;
    }
    if (pending >= 0) {
      target[off] = (char) pending;
      pending = -1;
      return 1;
    }
    if (len == 1) {
      // A character beyond U+FFFF takes two chars: keep the second for the next read.
      int n = decode(pair, 0, 2);
      if (n > 0) {
        target[off] = pair[0];
        pending = n == 2 ? pair[1] : -1;
        return 1;
      }
      return n;
    }
    return decode(target, off, len);
  }

  private int decode(char[] target, int off, int len) throws IOException {
    CharBuffer chars = CharBuffer.wrap(target, off, len);
    while (true) {
      CoderResult result = decoder.decode(bytes, chars, eof);
      if (result.isError() && chars.position() == off) {
        throw malformed(result.length());
      }
      if (!result.isUnderflow() || chars.position() > off) {
        return chars.position() - off;
      }
      if (eof) {
        return -1;
      }
      fill();
    }
  }

  private void fill() throws IOException {
    bufferOffset += bytes.position();
    bytes.compact();
    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
    if (n < 0) {
      eof = true;
    } else {
      bytes.position(bytes.position() + n);
    }
    bytes.flip();
  }

  /** The failure for the {@code length} bytes at the buffer's position the decoder refused. */
  private MalformedException malformed(int length) {
    int at = bytes.position();
    int lead = bytes.get(at) & 0xFF;
    int next = at + 1 < bytes.limit() ? bytes.get(at + 1) & 0xFF : -1;
    int bad = at + length < bytes.limit() ? bytes.get(at + length) & 0xFF : -1;
    String problem;
    if (lead < 0xC2 || lead > 0xF4) {
      problem = "Invalid UTF-8 start byte " + hex(lead);
    } else if (lead == 0xED && next >= 0xA0 && next <= 0xBF) {
      problem =
          "Invalid UTF-8: surrogate (lead byte " + hex(lead) + ", second byte " + hex(next) + ")";
    } else if (bad >= 0) {
      problem = "Invalid UTF-8 middle byte " + hex(bad);
    } else {
      problem = "Invalid UTF-8: the file ends inside a character";
    }
    return new MalformedException(bufferOffset + at, problem);
  }

  private static String hex(int b) {
    return String.format(Locale.ROOT, "0x%02x", b);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
