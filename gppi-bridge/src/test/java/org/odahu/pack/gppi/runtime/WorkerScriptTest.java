package org.odahu.pack.gppi.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;

/** Where the worker script comes from, and the copy an interpreter runs. */
class WorkerScriptTest {
  private static final String ENTRY = "org/odahu/pack/gppi/runtime/gppi_worker.py";

  private static byte[] onClassPath() throws IOException {
    try (InputStream in = WorkerScript.class.getResourceAsStream("gppi_worker.py")) {
      return in.readAllBytes();
    }
  }

  private static Path jar(Path directory, String entry, String content) throws IOException {
    Path jar = directory.resolve("with space.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.putNextEntry(new ZipEntry(entry));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return jar;
  }

  @Test
  void aJarLocationIsReadDirectly(@TempDir Path directory) throws IOException {
    Path jar = jar(directory, ENTRY, "# the jar's copy\n");

    byte[] script = WorkerScript.read(jar.toUri().toURL());

    assertEquals("# the jar's copy\n", new String(script, StandardCharsets.UTF_8));
  }

  @Test
  void aJarWithoutTheScriptOrADirectoryFallsBackToTheClassPath(@TempDir Path directory)
      throws IOException {
    Path jar = jar(directory, "other.txt", "not the script");

    assertArrayEquals(onClassPath(), WorkerScript.read(jar.toUri().toURL()));
    assertArrayEquals(onClassPath(), WorkerScript.read(directory.toUri().toURL()));
    assertArrayEquals(onClassPath(), WorkerScript.read(URI.create("http://host/x.jar").toURL()));
    assertArrayEquals(onClassPath(), WorkerScript.read(null));
  }

  @Test
  void theCopyGoesWithItsDirectory() throws IOException {
    Path file;
    try (ExitCleanup cleanup = ExitCleanup.manual();
        WorkerScript script = WorkerScript.extract(cleanup)) {
      file = script.file();
      assertEquals(script.directory(), file.getParent());
      assertArrayEquals(onClassPath(), Files.readAllBytes(file));
    }
    assertTrue(Files.notExists(file.getParent()));
  }
}
