package org.odahu.pack.artifact.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether files can really be created in a directory. {@link Files#isWritable} asks {@code
 * access(2)}, which answers yes to root for almost any directory, {@code /sys} and {@code /proc}
 * included: a command that checks its output that way starts its long work and fails only when it
 * writes. Creating a file is the only test the file system answers truthfully.
 */
public final class DirectoryProbe {
  private DirectoryProbe() {}

  /**
   * Creates and deletes an empty hidden file in {@code directory}.
   *
   * @return {@code null} if that worked, else why not, as a phrase ({@code permission denied},
   *     {@code Read-only file system})
   */
  public static String refusal(Path directory) {
    try {
      Files.delete(Files.createTempFile(directory, ".odahu-pack-probe-", ""));
      return null;
    } catch (NoSuchFileException e) {
      return "the file system refuses new files there"; // ENOENT from /proc, for one
    } catch (IOException e) {
      return FileErrors.reason(e);
    }
  }
}
