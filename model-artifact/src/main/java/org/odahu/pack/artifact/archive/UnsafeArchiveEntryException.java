package org.odahu.pack.artifact.archive;

/** An archive entry that must not be extracted: it escapes the root, is a device, a bad link... */
public final class UnsafeArchiveEntryException extends ArchiveException {
  private static final long serialVersionUID = 1L;
  private final String entry;

  public UnsafeArchiveEntryException(String entry, String reason) {
    super("Refusing archive entry '" + entry + "': " + reason);
    this.entry = entry;
  }

  /** The entry's name as written in the archive. */
  public String entry() {
    return entry;
  }
}
