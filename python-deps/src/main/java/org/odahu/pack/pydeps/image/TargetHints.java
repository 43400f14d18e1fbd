package org.odahu.pack.pydeps.image;

import java.util.Optional;

/**
 * What the image's configuration says that its files do not: where to look for the interpreter.
 *
 * @param pathVariable the image's {@code PATH}
 * @param interpreter the command the workers run ({@code python3}) or an absolute path
 * @param architecture the configuration's architecture ({@code amd64}, {@code arm64}), used when
 *     the interpreter's ELF header cannot be read
 */
public record TargetHints(String pathVariable, String interpreter, Optional<String> architecture) {
  /** The PATH of a Debian or Python image that sets none. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** {@code python3} on the default PATH. */
  public static TargetHints defaults() {
    return new TargetHints(DEFAULT_PATH, "python3", Optional.empty());
  }

  /** An image with PATH {@code pathVariable} (null for the default) running {@code python3}. */
  public static TargetHints of(String pathVariable, Optional<String> architecture) {
    return new TargetHints(
        pathVariable == null || pathVariable.isBlank() ? DEFAULT_PATH : pathVariable,
        "python3",
        architecture);
  }
}
