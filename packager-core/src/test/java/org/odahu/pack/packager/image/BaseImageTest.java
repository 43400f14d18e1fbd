package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code dockerfileBaseImage} values mean. */
class BaseImageTest {
  @TempDir Path temp;

  @Test
  void registryReferencesArePulledAnonymouslyUntilTheirConnectionIsChecked() {
    assertEquals(
        BaseImage.registry("registry.example.com/odahu/python:3.11", null),
        BaseImage.parse("registry.example.com/odahu/python:3.11"));
    assertEquals(
        BaseImage.registry("127.0.0.1:5000/base:1", null),
        BaseImage.parse("127.0.0.1:5000/base:1"));
    assertEquals("127.0.0.1:5000/base:1", BaseImage.parse("127.0.0.1:5000/base:1").toString());
  }

  @Test
  void tarballsByPrefixSuffixOrExistingFile() throws IOException {
    assertEquals(
        BaseImage.tarball(Path.of("/images/base.tar.gz")),
        BaseImage.parse("tar:///images/base.tar.gz"));
    assertEquals(
        BaseImage.tarball(Path.of("relative/base.tar")), BaseImage.parse("relative/base.tar"));
    Path existing = Files.writeString(temp.resolve("base-image"), "not read by parse");
    assertEquals(BaseImage.tarball(existing), BaseImage.parse(existing.toString()));
    assertEquals("tar://" + existing, BaseImage.parse(existing.toString()).toString());
  }
}
