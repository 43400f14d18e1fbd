package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;

/** A directory's layer: links copied as what they point to, inside the directory only. */
class LayersTest {
  @TempDir Path temp;

  private static List<String> paths(FileEntriesLayer layer) {
    return layer.getEntries().stream().map(entry -> entry.getExtractionPath().toString()).toList();
  }

  @Test
  void linksInsideBecomeWhatTheyPointToAndExcludedNamesAreLeftOut() throws IOException {
    Path model = Files.createDirectories(temp.resolve("model/data"));
    Files.writeString(model.resolve("table.csv"), "a,b\n");
    Files.createSymbolicLink(temp.resolve("model/shared"), Path.of("data"));
    Files.createSymbolicLink(temp.resolve("model/notes.txt"), Path.of("data/table.csv"));
    Files.writeString(temp.resolve("model/result.json"), "{}");

    FileEntriesLayer layer =
        Layers.directory("model", temp.resolve("model"), "/app", Set.of("result.json"));

    assertEquals(
        List.of(
            "/app/data",
            "/app/data/table.csv",
            "/app/notes.txt",
            "/app/shared",
            "/app/shared/table.csv"),
        paths(layer));
    FileEntry notes = layer.getEntries().get(2);
    assertEquals(temp.resolve("model/notes.txt"), notes.getSourceFile());
  }

  @Test
  void aLinkOutsideTheDirectoryIsRefused() throws IOException {
    Path model = Files.createDirectories(temp.resolve("model/data"));
    Files.writeString(temp.resolve("secret.txt"), "host");
    Files.createSymbolicLink(model.resolve("secret.txt"), temp.resolve("secret.txt"));

    PackagingException e =
        assertThrows(
            PackagingException.class,
            () -> Layers.directory("model", temp.resolve("model"), "/app", Set.of()));
    assertEquals(
        "Refusing "
            + model.resolve("secret.txt")
            + ": it is a link to a file outside "
            + temp.resolve("model"),
        e.getMessage());
  }

  @Test
  void linksThatLoopAreRefused() throws IOException {
    Path model = Files.createDirectories(temp.resolve("model"));
    Files.createDirectories(model.resolve("a/b"));
    Files.createSymbolicLink(model.resolve("a/b/up"), Path.of("../.."));

    PackagingException e =
        assertThrows(
            PackagingException.class, () -> Layers.directory("model", model, "/app", Set.of()));
    assertEquals(
        "Refusing "
            + model.resolve("a/b/up")
            + ": a link to a directory that holds it, which an image cannot hold (Jib copies what"
            + " links point to)",
        e.getMessage());
  }

  @Test
  void deeplyNestedDirectoriesTakeTimeInProportionToTheirNumber() throws IOException {
    // 1,500 levels: 24 s when every entry's real path was resolved, 0.6 s now.
    Path model = Files.createDirectories(temp.resolve("model"));
    Path leaf = model;
    for (int level = 0; level < 1500; level++) {
      leaf = Files.createDirectory(leaf.resolve("d"));
    }
    Files.writeString(leaf.resolve("leaf.txt"), "x");

    FileEntriesLayer layer =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> Layers.directory("model", model, "/app", Set.of()));
    assertEquals(1501, layer.getEntries().size());
    assertTrue(paths(layer).getLast().endsWith("/d/leaf.txt"));
    // Deepest first, as @TempDir's own clean-up takes as long as the old walk did.
    Files.delete(leaf.resolve("leaf.txt"));
    for (Path dir = leaf; !dir.equals(model); dir = dir.getParent()) {
      Files.delete(dir);
    }
  }
}
