package org.odahu.pack.baseimages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.image.Sandbox;
import org.odahu.pack.packager.testing.Leaks;
import org.odahu.pack.packager.testing.RecordingListener;
import org.odahu.pack.packager.testing.TestPackagers;
import org.odahu.pack.packager.testing.Trees;

/** The default base image, built (once per machine) with the real recipe and run with bwrap. */
class DebianPythonBaseIT {
  @TempDir Path temp;

  @Test
  void buildsOnceAndRunsScikitLearn() throws Exception {
    DebianPythonBase recipe =
        new DebianPythonBase(
            TestPackagers.cacheDirectory(), "http://deb.debian.org/debian", PackagingListener.NONE);
    BaseImage base = recipe.ensure();
    assertEquals(recipe.tarball(), base.tarball());
    long modified = Files.getLastModifiedTime(base.tarball()).toMillis();
    assertEquals(base, recipe.ensure());
    assertEquals(
        modified, Files.getLastModifiedTime(base.tarball()).toMillis(), "cached, not rebuilt");

    ImageTarball image = ImageTarball.read(base.tarball());
    assertEquals(1, image.layers().size());
    assertTrue(image.config().at("/config/Env").toString().contains("PATH="));
    Path rootfs = temp.resolve("rootfs");
    image.unpack(rootfs);
    assertTrue(Files.isSymbolicLink(rootfs.resolve("bin")), "merged /usr symlinks are kept");
    String output =
        Sandbox.run(
                Sandbox.command(
                    rootfs,
                    image.config(),
                    List.of(
                        "python3",
                        "-c",
                        "import sklearn, pandas, numpy; print('sklearn', sklearn.__version__)"),
                    List.of()))
            .stdout();
    assertTrue(output.contains("sklearn 1."), output);
    // Every module comes from its .pyc although the tarball gave every file the same time; as in
    // images, nothing may be written (-B).
    String imports =
        Sandbox.run(
                Sandbox.command(
                    rootfs,
                    image.config(),
                    List.of("python3", "-B", "-v", "-c", "import sklearn.ensemble, pandas"),
                    List.of()))
            .stderr();
    assertTrue(imports.contains("code object from") && imports.contains("__pycache__"), imports);
    assertTrue(
        imports.lines().noneMatch(line -> line.contains("bytecode is stale")),
        () -> imports.lines().filter(line -> line.contains("stale")).limit(5).toList().toString());
    assertTrue(Files.notExists(rootfs.resolve("usr/bin/gcc-12")), "compilers are purged");
    Trees.delete(rootfs);
  }

  @Test
  void aMirrorsLoginGoesToWgetOnlyNeverToArgumentsMessagesOrTheImage() throws Exception {
    for (String password : List.of("Mirror-Pw-SECRET", "Mirror pw \"SECRET\" @x")) {
      List<String> authorizations = new CopyOnWriteArrayList<>();
      HttpServer mirror =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      mirror.createContext(
          "/",
          exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null) {
              exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"mirror\"");
              exchange.sendResponseHeaders(401, -1);
            } else {
              authorizations.add(authorization);
              exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
          });
      mirror.start();
      try {
        String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
        String url =
            "http://mirror-user:" + encoded + "@127.0.0.1:" + mirror.getAddress().getPort();
        RecordingListener listener = new RecordingListener();
        PackagingException failed =
            assertThrows(
                PackagingException.class,
                () ->
                    new DebianPythonBase(temp.resolve("cache"), url + "/debian", listener)
                        .ensure());
        assertEquals(
            List.of(
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            ("mirror-user:" + password).getBytes(StandardCharsets.UTF_8))),
            authorizations.stream().distinct().toList(),
            "wget logged in with the netrc entry");
        assertTrue(
            failed.getMessage().contains("http://127.0.0.1:" + mirror.getAddress().getPort()),
            failed.getMessage());
        Leaks.assertNotLeaked("SECRET", failed, listener);
        Leaks.assertNotLeaked(encoded, failed, listener);
      } finally {
        mirror.stop(0);
      }
    }
  }

  /**
   * A build sweeps what a build stopped outright left in the cache (a root file system, the
   * tarball's temporary files): here the new build then fails, at its unreachable mirror or for
   * want of root.
   */
  @Test
  void aBuildSweepsWhatAStoppedBuildLeft() throws Exception {
    Path images = Files.createDirectories(temp.resolve("cache/base-images"));
    Files.createDirectories(images.resolve("rootfs-123/rootfs/etc"));
    Files.writeString(images.resolve("image-456.tar"), "a partial image");
    Files.writeString(images.resolve("layer-789.tar.gz"), "a partial layer");
    DebianPythonBase recipe =
        new DebianPythonBase(
            temp.resolve("cache"), "http://127.0.0.1:9/debian", PackagingListener.NONE);
    assertThrows(PackagingException.class, recipe::ensure);
    try (Stream<Path> left = Files.list(images)) {
      assertEquals(List.of(".lock"), left.map(p -> p.getFileName().toString()).toList());
    }
  }
}
