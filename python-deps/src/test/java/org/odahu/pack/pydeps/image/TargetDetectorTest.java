package org.odahu.pack.pydeps.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.PythonDependencies;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.common.DependencyListener;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.tags.Libc;

/** Detection from a hand-made Debian-like root: Python 3.9 on aarch64 with glibc 2.31. */
class TargetDetectorTest {
  @TempDir Path root;

  static byte[] elf(int machine) {
    byte[] header = new byte[64];
    header[0] = 0x7f;
    header[1] = 'E';
    header[2] = 'L';
    header[3] = 'F';
    header[4] = 2;
    header[5] = 1;
    header[18] = (byte) machine;
    return header;
  }

  private void write(String path, String text) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private void debianLikeRoot() throws IOException {
    Files.createDirectories(root.resolve("usr/bin"));
    Files.write(root.resolve("usr/bin/python3.9"), elf(0xB7));
    Files.createSymbolicLink(root.resolve("usr/bin/python3"), Path.of("python3.9"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    write("usr/lib/python3.9/os.py", "");
    write(
        "var/lib/dpkg/status",
        """
        Package: libc6
        Status: install ok installed
        Version: 2.31-13+deb11u5

        Package: python3.9-minimal
        Status: install ok installed
        Version: 3.9.2-1
        """);
    write(
        "usr/lib/python3/dist-packages/Foo_Bar-1.0.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0\nRequires-Dist: six\n\nbody: ignored\n");
    write("usr/lib/python3/dist-packages/baz.egg-info/PKG-INFO", "Name: baz\nVersion: 2.0.post1\n");
    write(
        "usr/lib/python3/dist-packages/baz.egg-info/requires.txt",
        "six\n[socks]\nPySocks>=1.5\n[:python_version < \"3.10\"]\ntyping-extensions\n");
    write("usr/lib/python3/dist-packages/old-0.1.egg-info", "Name: old\nVersion: 0.1\n");
    write(
        "usr/local/lib/python3.9/dist-packages/foo_bar-2.0.dist-info/METADATA",
        "Name: foo-bar\nVersion: 2.0\n");
    Files.createSymbolicLink(
        root.resolve("usr/lib/python3/dist-packages/escape.dist-info"),
        Path.of("/../../../../etc"));
  }

  @Test
  void readsTheBaseFromItsOwnFiles() throws IOException {
    debianLikeRoot();
    TargetEnvironment target =
        new TargetDetector()
            .detect(
                new DirectoryImageRoot(root),
                new TargetHints("/bin:/usr/bin", "python3", Optional.empty()));
    assertEquals("/bin/python3", target.interpreter());
    assertEquals("3.9.2", target.pythonVersion());
    assertEquals("aarch64", target.architecture());
    assertEquals(Optional.of(Libc.glibc(2, 31)), target.libc());
    assertEquals(
        List.of("/usr/local/lib/python3.9/dist-packages", "/usr/lib/python3/dist-packages"),
        target.sitePackages());
    assertEquals(
        List.of("baz 2.0.post1", "foo-bar 2.0", "old 0.1"),
        target.installed().stream().map(d -> d.key() + " " + d.version()).toList());
    assertEquals(
        List.of(
            "six",
            "pysocks>=1.5; extra == \"socks\"",
            "typing-extensions; (python_version < \"3.10\")"),
        target.installed("baz").orElseThrow().requiresDist().stream()
            .map(Object::toString)
            .toList());
    assertEquals("manylinux_2_31_aarch64", target.tags(false).bestPlatform());
  }

  @Test
  void aVirtualEnvironmentsInterpreterSeesItsOwnSitePackages() throws IOException {
    debianLikeRoot();
    Files.createDirectories(root.resolve("opt/venv/bin"));
    Files.createSymbolicLink(root.resolve("opt/venv/bin/python"), Path.of("/usr/bin/python3.9"));
    write("opt/venv/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = false\n");
    write(
        "opt/venv/lib/python3.9/site-packages/alpha-1.0.dist-info/METADATA",
        "Name: alpha\nVersion: 1.0\n");
    TargetHints hints = new TargetHints("/usr/bin", "/opt/venv/bin/python", Optional.empty());
    TargetEnvironment isolated = new TargetDetector().detect(new DirectoryImageRoot(root), hints);
    assertEquals("3.9.2", isolated.pythonVersion());
    assertEquals(List.of("/opt/venv/lib/python3.9/site-packages"), isolated.sitePackages());
    assertEquals(
        List.of("alpha 1.0"),
        isolated.installed().stream().map(d -> d.key() + " " + d.version()).toList());
    // Python's default is true; home names the base, also for a copied interpreter.
    write("opt/venv/pyvenv.cfg", "home = /usr/bin\n");
    Files.delete(root.resolve("opt/venv/bin/python"));
    Files.write(root.resolve("opt/venv/bin/python3.9"), elf(0xB7));
    TargetHints copied = new TargetHints("/usr/bin", "/opt/venv/bin/python3.9", Optional.empty());
    TargetEnvironment shared = new TargetDetector().detect(new DirectoryImageRoot(root), copied);
    assertEquals(
        List.of(
            "/opt/venv/lib/python3.9/site-packages",
            "/usr/local/lib/python3.9/dist-packages",
            "/usr/lib/python3/dist-packages"),
        shared.sitePackages());
  }

  @Test
  void aBaseWithoutPythonIsAClearError() throws IOException {
    Files.createDirectories(root.resolve("usr/bin"));
    DependencyException e =
        assertThrows(
            DependencyException.class,
            () ->
                new TargetDetector().detect(new DirectoryImageRoot(root), TargetHints.defaults()));
    assertTrue(
        e.getMessage().startsWith("The base image has no 'python3' on its PATH"), e.getMessage());
  }

  @Test
  void linksAreFollowedInsideTheRootOnly() throws IOException {
    debianLikeRoot();
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    write("etc/hostname", "image");
    ImageFiles files = new ImageFiles(new DirectoryImageRoot(root));
    assertEquals(Optional.of("/usr/bin/python3.9"), files.resolve("/bin/python3"));
    assertEquals(
        Optional.of("/etc"), files.resolve("/usr/lib/python3/dist-packages/escape.dist-info"));
    assertEquals(Optional.empty(), files.resolve("/loop/x"));
    assertEquals(Optional.of("/usr/bin"), files.resolve("/../../bin"));
  }

  @Test
  void aDetectedTargetIsCachedUnderTheImagesKeyAndReadBackTheSame() throws IOException {
    debianLikeRoot();
    TargetHints hints = new TargetHints("/bin:/usr/bin", "python3", Optional.empty());
    PythonDependencies deps =
        new PythonDependencies(
            root.resolve("cache"), PackageSources.index("unused"), DependencyListener.NONE);
    int[] opened = {0};
    java.util.function.Supplier<ImageRoot> image =
        () -> {
          opened[0]++;
          return new DirectoryImageRoot(root);
        };
    TargetEnvironment first = deps.target("layers-a", image, hints);
    TargetEnvironment again = deps.target("layers-a", image, hints);
    assertEquals(1, opened[0], "the second time comes from the cache");
    // Markers compare by their text: what a plan uses of them.
    assertEquals(first.toString(), again.toString());
    assertEquals(
        first.toString(), TargetCodec.read(TargetCodec.write(first)).orElseThrow().toString());
    deps.target("layers-b", image, hints);
    assertEquals(2, opened[0], "another image is read");
    assertEquals(Optional.empty(), TargetCodec.read("{\"format\": \"another\"}"));
  }
}
