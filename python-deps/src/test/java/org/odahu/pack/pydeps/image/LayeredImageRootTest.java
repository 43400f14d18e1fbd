package org.odahu.pack.pydeps.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.tags.Libc;
import org.odahu.pack.pydeps.testing.TarImages;

/** Detection straight from an image tarball's layers, whiteouts applied, nothing unpacked. */
class LayeredImageRootTest {
  @TempDir Path directory;

  @Test
  void readsTheMergedLayers() throws IOException {
    byte[] python =
        concat(
            TargetDetectorTest.elf(0x3E),
            ("\0\0" + "3.11.4 (main, Jun  7 2023)\0").getBytes(StandardCharsets.ISO_8859_1));
    byte[] libc =
        "\0GNU C Library (GNU libc) stable release version 2.31.\0"
            .getBytes(StandardCharsets.ISO_8859_1);
    String site = "usr/local/lib/python3.11/site-packages/";
    TarImages.Layer base =
        new TarImages.Layer()
            .file("usr/local/bin/python3.11", python, 0755)
            .symlink("usr/local/bin/python3", "python3.11")
            .file("usr/local/lib/python3.11/os.py", new byte[0], 0644)
            .file("lib/x86_64-linux-gnu/libc.so.6", libc, 0755)
            .file(
                site + "a-1.0.dist-info/METADATA",
                "Name: a\nVersion: 1.0\n".getBytes(StandardCharsets.UTF_8),
                0644)
            .file(
                site + "b-1.0.dist-info/METADATA",
                "Name: b\nVersion: 1.0\n".getBytes(StandardCharsets.UTF_8),
                0644)
            .file("etc/old/config", new byte[1], 0644);
    TarImages.Layer top =
        new TarImages.Layer()
            .file(site + ".wh.b-1.0.dist-info", new byte[0], 0644)
            .file(
                site + "c-2.0.dist-info/METADATA",
                "Name: c\nVersion: 2.0\n".getBytes(StandardCharsets.UTF_8),
                0644)
            .file(
                "usr/share/d-metadata",
                "Name: d\nVersion: 3.0\n".getBytes(StandardCharsets.UTF_8),
                0644)
            .hardLink(site + "d-3.0.dist-info/METADATA", "usr/share/d-metadata")
            .file("etc/old/.wh..wh..opq", new byte[0], 0644);
    Path tarball =
        TarImages.dockerSave(
            directory.resolve("image.tar"),
            List.of(base, top),
            Map.of("PATH", "/usr/local/bin:/usr/bin"),
            "amd64");

    ImageTarballLayers image = ImageTarballLayers.read(tarball);
    assertEquals(Optional.of("amd64"), image.architecture());
    LayeredImageRoot root = LayeredImageRoot.read(image, TargetDetector.PREFETCH);
    TargetEnvironment target =
        new TargetDetector()
            .detect(root, TargetHints.of(image.environment().get("PATH"), image.architecture()));

    assertEquals("/usr/local/bin/python3", target.interpreter());
    assertEquals("3.11.4", target.pythonVersion());
    assertEquals("x86_64", target.architecture());
    assertEquals(Optional.of(Libc.glibc(2, 31)), target.libc());
    assertEquals(
        List.of("a 1.0", "c 2.0", "d 3.0"),
        target.installed().stream().map(d -> d.key() + " " + d.version()).toList());
    assertEquals(List.of(), root.list("/etc/old"));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
