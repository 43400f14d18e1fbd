package org.odahu.pack.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.Objects;
import org.odahu.pack.artifact.files.RawNames;

/**
 * File names that are not UTF-8. Java reads such a name with U+FFFD in place of the bytes it cannot
 * decode, so an image would hold the file under another name than the model's code asks for.
 */
final class FileNames {
  private FileNames() {}

  /**
   * Whether the name of {@code file} (with {@code attributes}, read without following links) is not
   * UTF-8: it reads with U+FFFD, and that name written back as UTF-8 is not the same file. A name
   * really holding U+FFFD is UTF-8 and passes.
   */
  static boolean notUtf8(Path file, BasicFileAttributes attributes) throws IOException {
    Path name = file.getFileName();
    if (name == null || name.toString().indexOf('\uFFFD') < 0) {
      return false;
    }
    Path reencoded;
    try {
      reencoded = file.resolveSibling(name.toString());
    } catch (InvalidPathException e) {
      return true;
    }
    if (!Files.exists(reencoded, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    BasicFileAttributes other =
        Files.readAttributes(reencoded, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return !Objects.equals(other.fileKey(), attributes.fileKey());
  }

  /**
   * {@code relative} as its bytes really are, for messages: UTF-8 as characters, any other byte as
   * {@code \xNN} (as Python shows it).
   */
  static String escaped(Path relative) {
    return RawNames.escaped(bytes(relative));
  }

  /** The bytes of a relative path as the file system holds them (its URI escapes them). */
  private static byte[] bytes(Path relative) {
    Path base = relative.getFileSystem().getPath("/");
    String raw = base.resolve(relative).toUri().getRawPath().substring(1);
    if (raw.endsWith("/")) {
      raw = raw.substring(0, raw.length() - 1); // toUri marks an existing directory
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toByteArray();
  }
}
