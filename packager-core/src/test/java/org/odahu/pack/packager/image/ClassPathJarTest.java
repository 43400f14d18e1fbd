package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TimeZone;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;

/** The jar that names the runtime jars: in a fixed order, the same bytes every time. */
class ClassPathJarTest {
  @TempDir Path temp;

  @Test
  void namesTheJarsSortedRelativeToItself() throws IOException {
    List<Path> jars =
        List.of(Path.of("/dist/lib/netty-4.2.jar"), Path.of("/elsewhere/aws-core-2.57.8.jar"));
    Path jar = ClassPathJar.write(temp, jars);
    assertEquals(temp.resolve("odahu-pack-class-path.jar"), jar);
    try (JarFile file = new JarFile(jar.toFile())) {
      assertEquals(
          "aws-core-2.57.8.jar netty-4.2.jar",
          file.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH));
      assertEquals(1, file.size(), "nothing but the manifest");
    }
    assertEquals(
        FileEntriesLayer.DEFAULT_MODIFICATION_TIME,
        Files.getLastModifiedTime(jar).toInstant(),
        "the time the jar has in an image, which the class-data archive records");
  }

  @Test
  void theSameNamesGiveTheSameBytesInAnyOrderAndTimeZone() {
    byte[] first = ClassPathJar.bytes(List.of(Path.of("a.jar"), Path.of("b.jar")));
    TimeZone defaultZone = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      assertArrayEquals(first, ClassPathJar.bytes(List.of(Path.of("b.jar"), Path.of("a.jar"))));
    } finally {
      TimeZone.setDefault(defaultZone);
    }
  }

  @Test
  void aNameTheManifestCannotHoldAsItIsIsRefused() {
    PackagingException refused =
        assertThrows(
            PackagingException.class,
            () -> ClassPathJar.write(temp, List.of(Path.of("my model.jar"))));
    assertTrue(refused.getMessage().startsWith("Cannot list the runtime jar my model.jar"));
    assertTrue(Files.notExists(temp.resolve(ClassPathJar.FILE_NAME)), "nothing written");
  }
}
