package org.odahu.pack.packager.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.packager.PackagingException;

/** result.json is replaced whole or not at all, and can be put back. */
class ResultFileTest {
  @TempDir Path temp;

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(temp)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aResultThatCannotTakeItsNameFailsAndLeavesNoTemporaryFile() throws IOException {
    Path taken = Files.createDirectories(temp.resolve("result.json/inside"));
    try (ExitCleanup cleanup = ExitCleanup.manual();
        ResultFile result = ResultFile.stage(temp, "odahu/wine:1", cleanup)) {
      PackagingException failure = assertThrows(PackagingException.class, result::commit);
      assertEquals(
          "Cannot write " + temp.resolve("result.json") + ": Is a directory", failure.getMessage());
    }
    assertEquals(List.of("result.json"), names());
    assertTrue(Files.isDirectory(taken));
  }

  @Test
  void aCommittedResultIsRolledBackToThePreviousOne() throws IOException {
    Path file = Files.writeString(temp.resolve("result.json"), "{\"image\":\"odahu/wine:0\"}");
    try (ExitCleanup cleanup = ExitCleanup.manual();
        ResultFile result = ResultFile.stage(temp, "odahu/wine:1", cleanup)) {
      result.commit();
      assertEquals("{\"image\": \"odahu/wine:1\"}", Files.readString(file));
      result.rollBack();
    }
    assertEquals("{\"image\":\"odahu/wine:0\"}", Files.readString(file));
    assertEquals(List.of("result.json"), names());
  }

  @Test
  void rollingBackAFirstResultDeletesIt() throws IOException {
    try (ExitCleanup cleanup = ExitCleanup.manual();
        ResultFile result = ResultFile.stage(temp, "odahu/wine:1", cleanup)) {
      result.commit();
      result.rollBack();
    }
    assertEquals(List.of(), names());
  }

  @Test
  void aStagedResultIsDeletedWhenTheProgramStops() throws IOException {
    ExitCleanup cleanup = ExitCleanup.manual();
    ResultFile.stage(temp, "odahu/wine:1", cleanup);
    assertEquals(1, names().size());
    assertFalse(names().contains("result.json"));
    cleanup.close();
    assertEquals(List.of(), names());
  }
}
