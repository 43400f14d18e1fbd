package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.testing.SmallTmpfs;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.pydeps.testing.TarImages;

/**
 * A cache on a full file system: the errors name it and what it is, not the tarball being read nor
 * jlink's exceptions (a real 1 MiB tmpfs; needs root to mount, else skipped).
 */
class FullCacheIT {
  @TempDir Path temp;

  @Test
  void unpackingAnImageToVerifyItNamesTheVerificationCache() throws Exception {
    Path tarball =
        TarImages.dockerSave(
            temp.resolve("image.tar"),
            List.of(new TarImages.Layer().file("big.bin", new byte[4 << 20], 0644)),
            Map.of(),
            "amd64");
    try (SmallTmpfs cache = SmallTmpfs.mount(temp.resolve("cache"), "1m");
        ExitCleanup cleanup = ExitCleanup.manual()) {
      Path verify = cache.path().resolve("verify");
      PackagingException failure =
          assertThrows(
              PackagingException.class,
              () ->
                  new VerificationRoots(verify, PackagingListener.NONE, cleanup)
                      .build(
                          ImageTarball.read(tarball),
                          List.of("sha256:x"),
                          0,
                          verify.resolve("run-1/rootfs")));
      assertEquals(
          "Cannot unpack "
              + tarball
              + ": No space left on the file system of "
              + verify
              + " (the verification cache)",
          failure.getMessage());
    }
  }

  @Test
  void jlinkIntoAFullCacheNamesTheCache() throws Exception {
    try (SmallTmpfs cache = SmallTmpfs.mount(temp.resolve("cache"), "1m");
        ExitCleanup cleanup = ExitCleanup.manual()) {
      PackagingException failure =
          assertThrows(
              PackagingException.class,
              () -> JavaRuntime.ensure(cache.path(), PackagingListener.NONE, cleanup));
      assertEquals(
          "Cannot build the Java runtime layer: No space left on the file system of "
              + cache.path()
              + " (odahu-pack's cache; ODAHU_PACK_CACHE names another)",
          failure.getMessage());
    }
  }
}
