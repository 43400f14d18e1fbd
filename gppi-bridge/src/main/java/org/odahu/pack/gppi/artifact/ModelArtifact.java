package org.odahu.pack.gppi.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/**
 * An opened ODAHU trained-model artifact: a directory, or an archive extracted into a private
 * temporary directory that {@link #close()} removes.
 */
public final class ModelArtifact implements AutoCloseable {
  private final Path source;
  private final ArtifactFormat format;
  private final Path root;
  private final Path manifestFile;
  private final ModelManifest manifest;
  private final Path extractedInto;

  private ModelArtifact(
      Path source,
      ArtifactFormat format,
      Path root,
      Path manifestFile,
      ModelManifest manifest,
      Path extractedInto) {
    this.source = source;
    this.format = format;
    this.root = root;
    this.manifestFile = manifestFile;
    this.manifest = manifest;
    this.extractedInto = extractedInto;
  }

  /** Opens an artifact with the default {@link ExtractionLimits}. */
  public static ModelArtifact open(Path path) {
    return open(path, ExtractionLimits.DEFAULTS);
  }

  /**
   * Opens the artifact at {@code path}, extracting it first if it is an archive, and validates its
   * manifest for serving (see {@link ModelManifest#servingProblems()}).
   */
  public static ModelArtifact open(Path path, ExtractionLimits limits) {
    Path source = path.toAbsolutePath().normalize();
    ArtifactFormat format = ArtifactFormat.detect(source);
    if (format == ArtifactFormat.DIRECTORY) {
      return load(source, format, source, null);
    }
    Path temp;
    try {
      temp = Files.createTempDirectory("odahu-artifact-");
    } catch (IOException e) {
      throw new ArtifactException("Cannot create a temporary directory: " + e.getMessage(), e);
    }
    try {
      ArchiveExtractor.extract(source, format, temp, limits);
      return load(source, format, temp, temp);
    } catch (RuntimeException e) {
      deleteRecursively(temp);
      throw e;
    }
  }

  /**
   * The model in {@code workDir} as ODAHU's batch CLI finds it ({@code --model DIR --entrypoint
   * MOD}): the artifact around it when its parent holds a manifest naming it, else a model made of
   * that directory alone.
   */
  public static ModelArtifact ofWorkDir(Path workDir, String entrypoint) {
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
    String module = entrypoint == null ? "entrypoint" : entrypoint;
    ModelManifest manifest =
        new ModelManifest(
            new ModelManifest.Binaries("python", "conda", null),
            new ModelManifest.ModelSection(
                envOr("ODAHU_MODEL_NAME", dir.getFileName().toString()),
                envOr("ODAHU_MODEL_VERSION", "1.0"),
                dir.getFileName().toString(),
                module),
            "1.0",
            null);
    List<String> problems = manifest.servingProblems();
    if (!problems.isEmpty()) {
      throw new ManifestException(String.join("; ", problems));
    }
    return new ModelArtifact(dir, ArtifactFormat.DIRECTORY, parent, null, manifest, null);
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static ModelArtifact load(
      Path source, ArtifactFormat format, Path directory, Path extractedInto) {
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
    return new ModelArtifact(source, format, root, manifestFile, manifest, extractedInto);
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

  /** Removes the extracted files, if the artifact was an archive. */
  @Override
  public void close() {
    if (extractedInto != null) {
      deleteRecursively(extractedInto);
    }
  }

  @Override
  public String toString() {
    return "ModelArtifact[" + source + " (" + format + ")]";
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove " + directory, e);
    }
  }
}
