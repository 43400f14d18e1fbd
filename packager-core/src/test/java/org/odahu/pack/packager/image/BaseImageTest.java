package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.RegistryCredentials;

/** What {@code dockerfileBaseImage} values mean. */
class BaseImageTest {
  private static final RegistryCredentials PULL = new RegistryCredentials("bot", "secret");

  @TempDir Path temp;

  @Test
  void registryReferencesCarryThePullCredentials() {
    assertEquals(
        BaseImage.registry("registry.example.com/odahu/python:3.11", PULL),
        BaseImage.parse("registry.example.com/odahu/python:3.11", PULL));
    assertEquals(
        BaseImage.registry("127.0.0.1:5000/base:1", PULL),
        BaseImage.parse("127.0.0.1:5000/base:1", PULL));
    assertEquals(
        "127.0.0.1:5000/base:1", BaseImage.parse("127.0.0.1:5000/base:1", PULL).toString());
  }

  @Test
  void tarballsByPrefixSuffixOrExistingFileNeverCarryCredentials() throws IOException {
    assertEquals(
        BaseImage.tarball(Path.of("/images/base.tar.gz")),
        BaseImage.parse("tar:///images/base.tar.gz", PULL));
    assertEquals(
        BaseImage.tarball(Path.of("relative/base.tar")),
        BaseImage.parse("relative/base.tar", PULL));
    Path existing = Files.writeString(temp.resolve("base-image"), "not read by parse");
    assertEquals(BaseImage.tarball(existing), BaseImage.parse(existing.toString(), PULL));
    assertEquals("tar://" + existing, BaseImage.parse(existing.toString(), PULL).toString());
  }
}
