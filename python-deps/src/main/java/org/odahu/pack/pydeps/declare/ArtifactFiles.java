package org.odahu.pack.pydeps.declare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.odahu.pack.artifact.files.FileErrors;

/**
 * Files of a model artifact, read only from inside its root: a declaration that includes {@code
 * ../../etc/passwd}, an absolute path or a link out of the artifact is refused.
 */
final class ArtifactFiles {
  private static final long MAX_SIZE = 4L << 20;

  private final Path root;

  ArtifactFiles(Path root) {
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new DeclarationException("Cannot read the artifact " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * The file {@code relative} names, relative to the directory of {@code from} (an artifact path,
   * or empty for the root), checked to stay inside the artifact.
   */
  String resolve(String relative, String from, String origin) {
    if (relative.startsWith("/") || relative.contains("://") || relative.contains("\\")) {
      throw new DeclarationException(
          origin + ": '" + relative + "' is not a path inside the artifact");
    }
    Path base = from.isEmpty() ? root : root.resolve(from).getParent();
    Path file = base.resolve(relative).normalize();
    if (!file.startsWith(root)) {
      throw new DeclarationException(origin + ": '" + relative + "' is outside the artifact");
    }
    return root.relativize(file).toString();
  }

  /** The text of artifact file {@code path}, without a leading UTF-8 byte order mark. */
  String read(String path, String origin) {
    Path file = root.resolve(path);
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(root)) {
        throw new DeclarationException(origin + ": '" + path + "' links outside the artifact");
      }
      if (Files.size(real) > MAX_SIZE) {
        throw new DeclarationException(origin + ": '" + path + "' is larger than 4 MiB");
      }
      String text = Files.readString(real, StandardCharsets.UTF_8);
      // A byte order mark (Notepad writes one) is no part of the first line, as for pip and YAML.
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (IOException e) {
      throw new DeclarationException(
          origin + ": cannot read '" + path + "': " + FileErrors.reason(e), e);
    }
  }

  /** The absolute location of artifact path {@code path}. */
  Path absolute(String path) {
    return root.resolve(path);
  }

  /** Whether artifact path {@code path} is a regular file. */
  boolean exists(String path) {
    return Files.isRegularFile(root.resolve(path));
  }
}
