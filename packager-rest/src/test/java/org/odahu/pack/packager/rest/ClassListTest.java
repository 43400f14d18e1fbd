package org.odahu.pack.packager.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.odahu.pack.packager.image.ClassDataArchive;
import org.odahu.pack.packager.testing.TestPackagers;

/**
 * The class list images' class-data archives are dumped from names classes that exist: a class
 * renamed or removed since {@code scripts/server-classlist.py} last ran fails here (rerun it).
 */
class ClassListTest {
  @Test
  void everyListedClassIsInTheRuntimeJarsOrTheJdk() throws IOException {
    List<String> classes = classes();
    assertTrue(classes.contains("org/odahu/pack/server/ServerMain"), "the server's entry point");
    assertTrue(classes.contains("org/odahu/pack/batch/InvokeMain"), "the batch entry point");
    Set<String> known = new HashSet<>();
    for (Path jar : TestPackagers.runtimeJars()) {
      try (JarFile file = new JarFile(jar.toFile())) {
        file.stream().forEach(entry -> known.add(entry.getName()));
      }
    }
    FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    try (Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
      for (Path module : modules.toList()) {
        try (Stream<Path> files = Files.walk(module)) {
          files.forEach(file -> known.add(module.relativize(file).toString()));
        }
      }
    }
    List<String> missing =
        classes.stream().filter(name -> !known.contains(name + ".class")).toList();
    assertEquals(
        List.of(), missing, "gone since the list was made: run scripts/server-classlist.py");
  }

  /** The class names of the list, without its lambda shapes and comments. */
  private static List<String> classes() throws IOException {
    try (InputStream in = ClassDataArchive.class.getResourceAsStream("server.classlist")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith("@"))
          .toList();
    }
  }
}
