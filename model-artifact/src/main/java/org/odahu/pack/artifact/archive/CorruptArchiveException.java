package org.odahu.pack.artifact.archive;

/**
 * An archive whose own data cannot be read: cut short (an interrupted copy or download), or not of
 * the format its name or first bytes say.
 */
public final class CorruptArchiveException extends ArchiveException {
  private static final long serialVersionUID = 1L;

  /**
   * @param source what the archive is, e.g. {@code Model artifact /data/wine.zip}
   * @param format the format it was read as, e.g. {@code gzip tarball}
   * @param detail what the reader found, or {@code null}
   */
  public CorruptArchiveException(String source, String format, String detail, Throwable cause) {
    super(
        source
            + " is truncated or is not a valid "
            + format
            + (detail == null ? "" : " (" + detail + ")"),
        cause);
  }
}
