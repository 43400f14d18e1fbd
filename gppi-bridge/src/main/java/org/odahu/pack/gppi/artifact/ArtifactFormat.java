package org.odahu.pack.gppi.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** How an artifact is stored. Archives are recognised by their content, never by their name. */
public enum ArtifactFormat {
  /** An unpacked artifact directory. */
  DIRECTORY,
  /** A gzip-compressed tarball: what ODAHU's trainer writes, under a {@code .zip} name. */
  GZIP_TAR,
  /** An uncompressed tarball. */
  TAR,
  /** A ZIP archive (Deflate or stored), as ODAHU's documentation describes. */
  ZIP;

  private static final int TAR_MAGIC_OFFSET = 257;

  /** Detects the format of {@code path}. */
  public static ArtifactFormat detect(Path path) {
    if (Files.isDirectory(path)) {
      return DIRECTORY;
    }
    if (!Files.isRegularFile(path)) {
      throw new ArtifactException("Model artifact not found: " + path);
    }
    byte[] head = new byte[512];
    int length;
    try (InputStream in = Files.newInputStream(path)) {
      length = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new ArtifactException("Cannot read model artifact " + path + ": " + e.getMessage(), e);
    }
    if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP_TAR;
    }
    if (length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
      return ZIP;
    }
    if (length >= TAR_MAGIC_OFFSET + 5
        && "ustar".equals(new String(head, TAR_MAGIC_OFFSET, 5, StandardCharsets.US_ASCII))) {
      return TAR;
    }
    throw new ArtifactException(
        "Unsupported model artifact "
            + path
            + ": expected a directory, a gzip tarball (ODAHU's .zip), a tar or a ZIP archive");
  }
}
