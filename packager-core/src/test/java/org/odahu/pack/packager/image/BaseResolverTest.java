package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.testing.TinyBase;

/** What a base image is called and which digest identifies it, for the base.* labels. */
class BaseResolverTest {
  @TempDir Path temp;

  private final BaseResolver resolver = new BaseResolver(PackagingListener.NONE, "test");

  @Test
  void aDockerSaveTarballIsItsTagAndItsImageId() throws IOException {
    Path tarball = TinyBase.write(temp.resolve("base.tar"), "tiny/base:1");
    ResolvedBase base = resolver.resolve(BaseImage.tarball(tarball), false);
    assertEquals("tiny/base:1", base.name());
    assertEquals(ImageTarball.read(tarball).digest(), base.digest());
    assertEquals(Digests.sha256(config(tarball)), base.digest());
    assertSame(tarball, base.image().tarball(), "a tarball is used as it is");
  }

  @Test
  void aTarballWithoutATagHasNoName() throws IOException {
    Path tarball = TinyBase.write(temp.resolve("base.tar"), null);
    ResolvedBase base = resolver.resolve(BaseImage.tarball(tarball), false);
    assertNull(base.name(), "its path would name nothing on another machine");
    assertEquals(Digests.sha256(config(tarball)), base.digest());
  }

  @Test
  void anOciLayoutIsItsRefNameAndItsManifestDigest() throws IOException {
    Path oci = temp.resolve("base-oci.tar");
    BuiltImage built =
        new ImageBuilder(temp.resolve("cache"), PackagingListener.NONE, "test")
            .copy(
                BaseImage.tarball(TinyBase.write(temp.resolve("base.tar"), "tiny/base:1")),
                new ImageDestination.Tarball("tiny/base:2", oci, ImageFormat.OCI));
    ResolvedBase base = resolver.resolve(BaseImage.tarball(oci), false);
    assertEquals("tiny/base:2", base.name());
    assertEquals(built.digest(), base.digest());
  }

  @Test
  void referencesAreWrittenInFull() throws InvalidImageReferenceException {
    assertEquals(
        "docker.io/library/python:3.11", BaseResolver.name(ImageReference.parse("python:3.11")));
    assertEquals(
        "docker.io/library/python:latest", BaseResolver.name(ImageReference.parse("python")));
    assertEquals(
        "localhost:5000/odahu/base:1",
        BaseResolver.name(ImageReference.parse("localhost:5000/odahu/base:1")));
    String digest = "sha256:" + "b".repeat(64);
    assertEquals(
        "registry.example.com/base@" + digest,
        BaseResolver.name(ImageReference.parse("registry.example.com/base@" + digest)));
    assertEquals(
        "registry.example.com/base:1",
        BaseResolver.name(ImageReference.parse("registry.example.com/base:1@" + digest)));
  }

  /** The bytes of a docker save tarball's config.json. */
  private static byte[] config(Path tarball) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        if (entry.getName().equals("config.json")) {
          return tar.readAllBytes();
        }
      }
    }
    throw new AssertionError("no config.json in " + tarball);
  }
}
