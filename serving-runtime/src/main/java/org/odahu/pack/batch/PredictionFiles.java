package org.odahu.pack.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.odahu.pack.artifact.files.DirectoryProbe;

/**
 * The files of one batch prediction: the input, the output directory and the result file's name.
 * {@link #check()} is called before the model starts, so a mistyped path fails in milliseconds
 * rather than after the model's import and {@code init()}.
 *
 * @param input the request file
 * @param outputDir where the result file goes (created if missing)
 * @param fileName the result file's name in {@code outputDir}
 */
public record PredictionFiles(Path input, Path outputDir, String fileName) {

  /** The result file. */
  public Path output() {
    return outputDir.resolve(fileName);
  }

  /**
   * Returns these files if the input is a readable file and the output directory exists or can be
   * created, and is writable: a file can be created in it (or in its nearest existing parent).
   *
   * @throws UnusableFileException naming the path and what is wrong with it
   */
  public PredictionFiles check() {
    String reading = "Cannot read the input file " + input + ": ";
    if (!Files.exists(input)) {
      throw new UnusableFileException(input, reading + "no such file");
    }
    if (!Files.isRegularFile(input)) {
      throw new UnusableFileException(input, reading + "not a file");
    }
    if (!Files.isReadable(input)) {
      throw new UnusableFileException(input, reading + "permission denied");
    }
    String writing = "Cannot write the result file " + output() + ": ";
    Path existing = outputDir.toAbsolutePath();
    while (!Files.exists(existing)) {
      if (Files.isSymbolicLink(existing)) {
        throw new UnusableFileException(
            existing,
            writing + existing + " is a link to " + target(existing) + ", which is missing");
      }
      existing = existing.getParent(); // the root always exists
    }
    if (!Files.isDirectory(existing)) {
      throw new UnusableFileException(existing, writing + existing + " is not a directory");
    }
    String refusal = Files.isWritable(existing) ? DirectoryProbe.refusal(existing) : "";
    if (refusal != null) {
      throw new UnusableFileException(
          existing,
          writing
              + existing
              + " is not writable"
              + (refusal.isEmpty() ? "" : " (" + refusal + ")"));
    }
    if (Files.isDirectory(output())) {
      throw new UnusableFileException(output(), writing + "it is a directory");
    }
    refuseInput(output());
    return this;
  }

  /**
   * Refuses {@code written}, a file this prediction writes (the result, the side file of rows that
   * failed), if it is the input: writing it would replace the input.
   *
   * @throws UnusableFileException naming it
   */
  public void refuseInput(Path written) {
    if (isSameFile(input, written)) {
      throw new UnusableFileException(
          written,
          "Cannot write "
              + written
              + ": it is the input file, which the result would replace: choose another name"
              + " (-o) or OUTPUT_DIR");
    }
  }

  private static boolean isSameFile(Path input, Path output) {
    try {
      return Files.exists(output) && Files.isSameFile(input, output);
    } catch (IOException e) {
      return false; // then writing it fails, and says why
    }
  }

  private static String target(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "a path that cannot be read";
    }
  }
}
