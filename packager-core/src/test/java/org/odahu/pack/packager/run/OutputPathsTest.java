package org.odahu.pack.packager.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputPathsTest {
  @TempDir Path temp;

  /**
   * The artifact's files and directories a packaging in (or beside) the artifact's directory leaves
   * out (a directory left out is left out with all it holds).
   */
  private List<String> leftOut(Path artifact, Path tarball, List<Path> others) throws Exception {
    Predicate<Path> packagingFiles = OutputPaths.packagingFiles(artifact, tarball, others);
    try (Stream<Path> files = Files.walk(artifact)) {
      return files
          .filter(path -> !path.equals(artifact))
          .map(artifact::relativize)
          .filter(packagingFiles)
          .map(Path::toString)
          .sorted()
          .toList();
    }
  }

  /** {@code --output /dev/stdout | ...}: the link leads to {@code pipe:[N]}, which is no path. */
  @Test
  void aPipeReachedThroughProcFdIsWrittenIntoAsItIs() throws Exception {
    Process cat = new ProcessBuilder("cat").start(); // the JVM holds pipes to it
    try {
      Path pipe = null;
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
        for (Path fd : fds) {
          if (Files.readSymbolicLink(fd).toString().startsWith("pipe:")) {
            pipe = fd;
          }
        }
      }
      assertNotNull(pipe);
      assertEquals(pipe, OutputPaths.writtenFile(pipe));
      assertTrue(OutputPaths.isSpecial(OutputPaths.writtenFile(pipe)));
      OutputPaths.checkTarball(pipe);
    } finally {
      cat.destroy();
    }
  }

  @Test
  void theManifestsResultAndTarballInsideTheArtifactAreLeftOutWhateverTheirNames()
      throws Exception {
    Path artifact = Files.createDirectories(temp.resolve("model"));
    Path sub = Files.createDirectories(artifact.resolve("odahuflow_model"));
    for (String file :
        List.of(
            "odahuflow.project.yaml",
            "odahuflow_model/entrypoint.py",
            "odahuflow_model/packaging.yaml",
            "odahuflow_model/result.json",
            "out/image.tar",
            "out/.odahu-pack-building-1/x",
            ".odahu-pack-building-2/x")) {
      Files.createDirectories(artifact.resolve(file).getParent());
      Files.writeString(artifact.resolve(file), file);
    }
    Path outside = Files.writeString(temp.resolve("packaging.yaml"), "outside");
    Path linked =
        Files.createSymbolicLink(temp.resolve("link.yaml"), sub.resolve("packaging.yaml"));
    assertEquals(
        List.of(
            "odahuflow_model/packaging.yaml",
            "odahuflow_model/result.json",
            "out/.odahu-pack-building-1",
            "out/image.tar"),
        leftOut(
            artifact,
            artifact.resolve("out/image.tar"),
            List.of(
                linked, outside, sub.resolve("result.json"), temp.resolve("none/result.json"))));
    assertEquals(List.of(), leftOut(artifact, null, List.of(outside)));
    assertEquals(
        List.of(".odahu-pack-building-2"),
        leftOut(artifact, temp.resolve("model/../model/image.tar"), List.of()));
  }
}
