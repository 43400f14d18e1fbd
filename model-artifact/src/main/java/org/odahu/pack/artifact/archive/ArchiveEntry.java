package org.odahu.pack.artifact.archive;

import java.nio.file.attribute.FileTime;

/**
 * One entry of an archive whose name {@link ArchiveReader} has checked: never absolute, never
 * leaving the archive's root.
 *
 * @param name the name as written in the archive, for messages
 * @param path the normalised relative path ({@code a/b}); empty for the root itself
 * @param type what the entry is
 * @param linkTarget a link's target as written, or {@code null}
 * @param mode the Unix permission bits, {@code 0} when the archive has none
 * @param size a file's size as the archive states it, {@code -1} when unknown
 * @param modified when the entry was last modified, as the archive states it, or {@code null}
 */
public record ArchiveEntry(
    String name,
    String path,
    Type type,
    String linkTarget,
    int mode,
    long size,
    FileTime modified) {

  /** The kinds of entries archives hold. */
  public enum Type {
    /** A directory. */
    DIRECTORY,
    /** A regular file; its content comes with it. */
    FILE,
    /** A symbolic link. */
    SYMLINK,
    /** A tar hard link: {@link #linkTarget} names another entry of the archive. */
    HARDLINK,
    /** A character or block device. */
    DEVICE,
    /** A named pipe. */
    FIFO,
    /** Anything else a tar can say. */
    OTHER
  }

  /** Whether any execute bit is set. */
  public boolean executable() {
    return (mode & 0111) != 0;
  }
}
