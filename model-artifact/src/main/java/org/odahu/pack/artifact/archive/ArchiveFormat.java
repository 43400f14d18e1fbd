package org.odahu.pack.artifact.archive;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The archive formats {@link ArchiveReader} reads, recognised by content, never by name. */
public enum ArchiveFormat {
  /** A gzip-compressed tarball (ODAHU's trainer writes these under a {@code .zip} name). */
  GZIP_TAR,
  /** An uncompressed tarball. */
  TAR,
  /** A ZIP archive (Deflate or stored). */
  ZIP;

  /** How many leading bytes {@link #detect} needs. */
  public static final int HEAD_BYTES = 512;

  private static final int TAR_MAGIC_OFFSET = 257;

  /** The format whose signature {@code head} (the first bytes of a file) carries, if any. */
  public static Optional<ArchiveFormat> detect(byte[] head, int length) {
    if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Optional.of(GZIP_TAR);
    }
    if (length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
      return Optional.of(ZIP);
    }
    if (length >= TAR_MAGIC_OFFSET + 5
        && "ustar".equals(new String(head, TAR_MAGIC_OFFSET, 5, StandardCharsets.US_ASCII))) {
      return Optional.of(TAR);
    }
    return Optional.empty();
  }
}
