package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking never writes outside the root file system, even through the image's own links. */
class ImageTarballTest {
  @TempDir Path temp;

  @Test
  void linksResolveInsideTheRoot() throws IOException {
    Path root = Files.createDirectories(temp.resolve("rootfs")).toRealPath();
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../.."));
    assertEquals(root.resolve("usr/bin/python3"), ImageTarball.inside(root, "bin/python3"));
    assertEquals(root.resolve("etc/passwd"), ImageTarball.inside(root, "escape/passwd"));
    assertEquals(root.resolve("etc/shadow"), ImageTarball.inside(root, "up/etc/shadow"));
    assertEquals(root.resolve("etc"), ImageTarball.inside(root, "../../etc"));
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    assertNull(ImageTarball.inside(root, "loop/x"));
  }
}
