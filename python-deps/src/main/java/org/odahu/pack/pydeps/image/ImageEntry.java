package org.odahu.pack.pydeps.image;

/**
 * What is at a path of an image's file system, links not followed.
 *
 * @param kind file, directory, symbolic link or something else
 * @param linkTarget a symbolic link's target as stored, or empty
 * @param size a file's size in bytes
 */
public record ImageEntry(Kind kind, String linkTarget, long size) {
  /** The kinds of entries. */
  public enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    OTHER
  }
}
