package org.odahu.pack.artifact.files;

import java.nio.file.Path;

/**
 * Where some work writes, to say which file system filled up: Java reports only "No space left on
 * device", and a message that names the file being read (an archive, a URL) points away from the
 * full one.
 *
 * @param directory a directory on the file system written to, as the user knows it
 * @param description what it is to the user ({@code "the verification cache"}), or {@code null}
 */
public record DiskSpace(Path directory, String description) {
  /** What the C library says for ENOSPC, in the messages of Java's exceptions and of tools. */
  private static final String NO_SPACE = "No space left on device";

  /** The temporary directory ({@code java.io.tmpdir}, which follows {@code TMPDIR}). */
  public static DiskSpace temporary() {
    return new DiskSpace(
        TemporaryFiles.directory(), "the temporary directory; TMPDIR names another");
  }

  /** Whether {@code failure} or one of its causes is a file system out of space. */
  public static boolean exhausted(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (reportedIn(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code text} (a tool's output, a message) reports a file system out of space. */
  public static boolean reportedIn(String text) {
    return text != null && text.contains(NO_SPACE);
  }

  /** {@code No space left on the file system of DIRECTORY (DESCRIPTION)}. */
  public String full() {
    return "No space left on the file system of "
        + directory
        + (description == null ? "" : " (" + description + ")");
  }

  /** Why {@code failure} happened: {@link #full()} when out of space, else its own message. */
  public String reason(Throwable failure) {
    if (exhausted(failure)) {
      return full();
    }
    return failure.getMessage() != null ? failure.getMessage() : "an input/output error";
  }
}
