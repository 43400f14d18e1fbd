package org.odahu.pack.artifact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a directory artifact's model is, read without a YAML parser (which takes a starting JVM
 * about half a second to load): the root, the work directory and the entrypoint module. Only a
 * manifest in the plain block style ODAHU writes is read; any other style gives nothing. This is
 * for guesses that something checks later: {@link ModelArtifact#open(Path, ExitCleanup)} is what
 * reads and validates a manifest.
 *
 * @param root the artifact's root directory, absolute and normalised
 * @param workDir the model's work directory, as {@link ModelArtifact#workDir()} gives it
 * @param entrypoint the entrypoint module's name as written
 */
public record ModelLocation(Path root, Path workDir, String entrypoint) {
  private static final long MAX_BYTES = 64 << 10;

  /** A key of {@code model:} with a plain or simply quoted value, and nothing else on the line. */
  private static final Pattern KEY =
      Pattern.compile("( +)(workDir|entrypoint): +(?:([\\w./-]+)|'([\\w./-]+)'|\"([\\w./-]+)\") *");

  /**
   * The location {@link ModelArtifact#ofWorkDir} finds for the model in {@code workDir} with {@code
   * entrypoint}: the artifact around it when its parent's manifest (in ODAHU's plain block style)
   * names that directory and module, else the directory alone, its parent being the root. Empty
   * when the directory is missing, has no parent, or is not a safe artifact directory, or when
   * {@code entrypoint} is not a Python module name.
   */
  public static Optional<ModelLocation> ofWorkDir(Path workDir, String entrypoint) {
    Path dir = workDir.toAbsolutePath().normalize();
    Path parent = dir.getParent();
    if (parent == null || !Files.isDirectory(dir)) {
      return Optional.empty();
    }
    Optional<ModelLocation> around =
        peek(parent)
            .filter(found -> found.workDir().equals(dir) && found.entrypoint().equals(entrypoint));
    if (around.isPresent()) {
      return around;
    }
    try {
      String module =
          ModelArtifact.directoryAlone(dir, entrypoint, null, null).model().entrypoint();
      return Optional.of(new ModelLocation(parent, dir, module));
    } catch (ArtifactException e) {
      return Optional.empty();
    }
  }

  /**
   * The location in {@code directory}'s manifest, or empty when the directory is not a plain, safe
   * directory artifact or its manifest is not written in ODAHU's plain block style.
   */
  public static Optional<ModelLocation> peek(Path directory) {
    Path root = directory.toAbsolutePath().normalize();
    Path file = root.resolve(ModelManifest.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      file = root.resolve(ModelManifest.LEGACY_FILE_NAME);
    }
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
        return Optional.empty();
      }
      ArtifactFiles.verify(root);
      String workDir = null;
      String entrypoint = null;
      boolean inModel = false;
      String indent = null;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.strip().startsWith("#")) {
          continue;
        }
        if (!line.startsWith(" ")) {
          inModel = line.stripTrailing().equals("model:");
          continue;
        }
        if (!inModel) {
          continue;
        }
        // The model's own keys are those at the indentation of its first line.
        int depth = line.length() - line.stripLeading().length();
        indent = indent == null ? line.substring(0, depth) : indent;
        Matcher key = KEY.matcher(line);
        if (key.matches() && indent.equals(key.group(1))) {
          String value =
              key.group(3) != null
                  ? key.group(3)
                  : key.group(4) != null ? key.group(4) : key.group(5);
          if (key.group(2).equals("workDir")) {
            workDir = value;
          } else {
            entrypoint = value;
          }
        }
      }
      if (workDir == null || entrypoint == null) {
        return Optional.empty();
      }
      return Optional.of(new ModelLocation(root, root.resolve(workDir).normalize(), entrypoint));
    } catch (IOException | ArtifactException e) {
      return Optional.empty();
    }
  }
}
