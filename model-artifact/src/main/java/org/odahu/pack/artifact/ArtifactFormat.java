package org.odahu.pack.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.odahu.pack.artifact.archive.ArchiveFormat;

/** How an artifact is stored. Archives are recognised by their content, never by their name. */
public enum ArtifactFormat {
  /** An unpacked artifact directory. */
  DIRECTORY(null),
  /** A gzip-compressed tarball: what ODAHU's trainer writes, under a {@code .zip} name. */
  GZIP_TAR(ArchiveFormat.GZIP_TAR),
  /** An uncompressed tarball. */
  TAR(ArchiveFormat.TAR),
  /** A ZIP archive (Deflate or stored), as ODAHU's documentation describes. */
  ZIP(ArchiveFormat.ZIP);

  private final ArchiveFormat archive;

  ArtifactFormat(ArchiveFormat archive) {
    this.archive = archive;
  }

  /** The archive format, or {@code null} for a directory. */
  ArchiveFormat archive() {
    return archive;
  }

  /** Detects the format of {@code path}. */
  public static ArtifactFormat detect(Path path) {
    if (Files.isDirectory(path)) {
      return DIRECTORY;
    }
    if (!Files.isRegularFile(path)) {
      throw new ArtifactException(
          Files.exists(path)
              ? "Model artifact "
                  + path
                  + " is not a regular file or directory (a FIFO, socket or device): give a"
                  + " directory or an archive"
              : "Model artifact not found: " + path);
    }
    byte[] head = new byte[ArchiveFormat.HEAD_BYTES];
    int length;
    try (InputStream in = Files.newInputStream(path)) {
      length = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new ArtifactException("Cannot read model artifact " + path + ": " + e.getMessage(), e);
    }
    ArchiveFormat format =
        ArchiveFormat.detect(head, length)
            .orElseThrow(
                () ->
                    new ArtifactException(
                        "Unsupported model artifact "
                            + path
                            + ": expected a directory, a gzip tarball (ODAHU's .zip), a tar or a"
                            + " ZIP archive"));
    return switch (format) {
      case GZIP_TAR -> GZIP_TAR;
      case TAR -> TAR;
      case ZIP -> ZIP;
    };
  }
}
