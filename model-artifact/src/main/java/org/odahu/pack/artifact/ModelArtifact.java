package org.odahu.pack.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.odahu.pack.artifact.archive.ExtractionLimits;
import org.odahu.pack.artifact.files.DiskSpace;
import org.odahu.pack.artifact.files.ExitCleanup;

/**
 * An opened ODAHU trained-model artifact: a directory, or an archive extracted into a private
 * temporary directory that {@link #close()} removes (and the program's {@link ExitCleanup}, if it
 * ends first). Links in a directory artifact are checked as an archive's are: each must resolve
 * inside the artifact.
 */
public final class ModelArtifact implements AutoCloseable {
  private final Path source;
  private final ArtifactFormat format;
  private final Path root;
  private final Path manifestFile;
  private final ModelManifest manifest;
  private final ExitCleanup.TemporaryDirectory extracted;
  private final ExitCleanup cleanup;

  private ModelArtifact(
      Path source,
      ArtifactFormat format,
      Path root,
      Path manifestFile,
      ModelManifest manifest,
      ExitCleanup.TemporaryDirectory extracted,
      ExitCleanup cleanup) {
    this.source = source;
    this.format = format;
    this.root = root;
    this.manifestFile = manifestFile;
    this.manifest = manifest;
    this.extracted = extracted;
    this.cleanup = cleanup;
  }

  /**
   * Opens an artifact with the default {@link ExtractionLimits}; an archive's files are removed by
   * {@link #close()} only, not when the JVM is stopped by a signal: programs use {@link #open(Path,
   * ExitCleanup)}.
   */
  public static ModelArtifact open(Path path) {
    return open(path, ExtractionLimits.DEFAULTS, ExitCleanup.manual());
  }

  /** Opens an artifact with {@code limits}; see {@link #open(Path)}. */
  public static ModelArtifact open(Path path, ExtractionLimits limits) {
    return open(path, limits, ExitCleanup.manual());
  }

  /**
   * Opens an artifact with the default {@link ExtractionLimits}; an archive is extracted into a
   * temporary directory that {@link #close()} removes, or {@code cleanup} if the program ends
   * first.
   */
  public static ModelArtifact open(Path path, ExitCleanup cleanup) {
    return open(path, ExtractionLimits.DEFAULTS, cleanup);
  }

  /**
   * Opens the artifact at {@code path}, extracting it first if it is an archive, and validates its
   * manifest for serving (see {@link ModelManifest#servingProblems()}).
   *
   * @throws ArtifactException the artifact is missing, unreadable, unsafe (a directory's link that
   *     leaves it) or invalid
   * @throws org.odahu.pack.artifact.archive.ArchiveException an archive's entry is unsafe or the
   *     archive exceeds {@code limits}
   */
  public static ModelArtifact open(Path path, ExtractionLimits limits, ExitCleanup cleanup) {
    Path source = path.toAbsolutePath().normalize();
    ArtifactFormat format = ArtifactFormat.detect(source);
    if (format == ArtifactFormat.DIRECTORY) {
      ArtifactFiles.verify(source);
      return load(source, format, source, null, cleanup);
    }
    ExitCleanup.TemporaryDirectory temp;
    try {
      temp = cleanup.newTemporaryDirectory("odahu-artifact-");
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot create a temporary directory: " + DiskSpace.temporary().reason(e), e);
    }
    try {
      ArtifactExtractor.extract(source, format, temp, limits);
      return load(source, format, temp.path(), temp, cleanup);
    } catch (RuntimeException e) {
      temp.close();
      throw e;
    }
  }

  /**
   * The model in {@code workDir} as ODAHU's batch CLI finds it ({@code --model DIR --entrypoint
   * MOD}): the artifact around it when its parent holds a manifest naming it, else a model made of
   * that directory alone.
   *
   * @param entrypoint the module, or {@code null} for ODAHU's {@code entrypoint}
   * @param name the model's name for a directory alone, or {@code null} for the directory's name
   * @param version its version for a directory alone, or {@code null} for {@code 1.0}
   */
  public static ModelArtifact ofWorkDir(
      Path workDir, String entrypoint, String name, String version) {
    Path dir = workDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new ArtifactException("Model directory not found: " + workDir);
    }
    Path parent = dir.getParent();
    if (parent != null && hasManifest(parent)) {
      ModelArtifact artifact = open(parent);
      if (artifact.workDir().equals(dir)
          && (entrypoint == null || entrypoint.equals(artifact.manifest().model().entrypoint()))) {
        return artifact;
      }
    }
    return new ModelArtifact(
        dir,
        ArtifactFormat.DIRECTORY,
        parent,
        null,
        directoryAlone(dir, entrypoint, name, version),
        null,
        ExitCleanup.manual());
  }

  /**
   * The manifest of a model made of the absolute, normalised directory {@code dir} alone (its
   * parent being the root), after checking the directory as an artifact's.
   */
  static ModelManifest directoryAlone(Path dir, String entrypoint, String name, String version) {
    ArtifactFiles.verify(dir);
    String module = entrypoint == null ? "entrypoint" : entrypoint;
    ModelManifest manifest =
        new ModelManifest(
            new ModelManifest.Binaries("python", "conda", null),
            new ModelManifest.ModelSection(
                orElse(name, dir.getFileName().toString()),
                orElse(version, "1.0"),
                dir.getFileName().toString(),
                module),
            "1.0",
            null);
    List<String> problems = manifest.servingProblems();
    if (!problems.isEmpty()) {
      throw new ManifestException(String.join("; ", problems));
    }
    return manifest;
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static ModelArtifact load(
      Path source,
      ArtifactFormat format,
      Path directory,
      ExitCleanup.TemporaryDirectory extracted,
      ExitCleanup cleanup) {
    Path root = findRoot(directory, source);
    Path manifestFile = root.resolve(ModelManifest.FILE_NAME);
    if (!Files.isRegularFile(manifestFile)) {
      manifestFile = root.resolve(ModelManifest.LEGACY_FILE_NAME);
    }
    ModelManifest manifest = ModelManifest.read(manifestFile);
    List<String> problems = manifest.servingProblems();
    if (!problems.isEmpty()) {
      throw new ManifestException(String.join("; ", problems));
    }
    Path workDir = root.resolve(manifest.model().workDir()).normalize();
    if (!Files.isDirectory(workDir)) {
      throw new ManifestException(
          "Model workDir '" + manifest.model().workDir() + "' is not a directory in " + source);
    }
    return new ModelArtifact(source, format, root, manifestFile, manifest, extracted, cleanup);
  }

  /**
   * The directory holding the manifest: the given one, or its only subdirectory when an archive was
   * made from the artifact's parent directory.
   */
  private static Path findRoot(Path directory, Path source) {
    if (hasManifest(directory)) {
      return directory;
    }
    try (Stream<Path> children = Files.list(directory)) {
      List<Path> entries = children.toList();
      if (entries.size() == 1 && Files.isDirectory(entries.get(0)) && hasManifest(entries.get(0))) {
        return entries.get(0);
      }
    } catch (IOException e) {
      throw new ArtifactException("Cannot list " + directory + ": " + e.getMessage(), e);
    }
    throw new ManifestException(
        "No "
            + ModelManifest.FILE_NAME
            + " (or legacy "
            + ModelManifest.LEGACY_FILE_NAME
            + ") at the root of the model artifact "
            + source);
  }

  private static boolean hasManifest(Path directory) {
    return Files.isRegularFile(directory.resolve(ModelManifest.FILE_NAME))
        || Files.isRegularFile(directory.resolve(ModelManifest.LEGACY_FILE_NAME));
  }

  /** The path the artifact was opened from. */
  public Path source() {
    return source;
  }

  /** How the artifact was stored. */
  public ArtifactFormat format() {
    return format;
  }

  /** The artifact's root directory (holding the manifest), on the local file system. */
  public Path root() {
    return root;
  }

  /**
   * The manifest file that was read, or {@code null} for a model made of a work directory alone.
   */
  public Path manifestFile() {
    return manifestFile;
  }

  /** The validated manifest; its model section is set. */
  public ModelManifest manifest() {
    return manifest;
  }

  /** The model's work directory: its files and the entrypoint module. */
  public Path workDir() {
    return root.resolve(manifest.model().workDir()).normalize();
  }

  /**
   * The program's cleanup this artifact was opened with: a runtime registers there the temporary
   * files it makes for this model, so that they go at exit too.
   */
  public ExitCleanup cleanup() {
    return cleanup;
  }

  /** Removes the extracted files, if the artifact was an archive. */
  @Override
  public void close() {
    if (extracted != null) {
      extracted.close();
    }
  }

  @Override
  public String toString() {
    return "ModelArtifact[" + source + " (" + format + ")]";
  }
}
