package org.odahu.pack.baseimages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.odahu.pack.artifact.files.FileTrees;
import org.odahu.pack.packager.CacheDirectory;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.PackagingListener;

/**
 * odahu-pack's default base image: Debian 12 with python3, numpy, scikit-learn and pandas from
 * Debian's packages ({@code python-rootfs.sh}), written as an image tarball. Built once per machine
 * and recipe: the cache key is a hash of the recipe, so a changed recipe rebuilds.
 */
public final class DebianPythonBase {
  private static final String RECIPE = "python-rootfs.sh";
  private static final String WORK_PREFIX = "rootfs-";
  private static final String PATH_ENV =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Path cacheDirectory;
  private final String mirror;
  private final PackagingListener listener;

  /**
   * @param cacheDirectory where base image tarballs are kept ({@code base-images/} below it)
   * @param mirror the Debian mirror for debootstrap
   * @param listener receives progress
   */
  public DebianPythonBase(Path cacheDirectory, String mirror, PackagingListener listener) {
    this.cacheDirectory = cacheDirectory.resolve("base-images");
    this.mirror = mirror;
    this.listener = listener;
  }

  /** The recipe script's text. */
  static String recipe() {
    try (InputStream in = DebianPythonBase.class.getResourceAsStream(RECIPE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException(RECIPE + " is missing from the class path", e);
    }
  }

  /** The cache key: a hash of the recipe. */
  public static String key() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(recipe().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tarball this machine has or will build. */
  public Path tarball() {
    return cacheDirectory.resolve("debian-python-" + key() + ".tar");
  }

  /** The base image, building it first when it is not cached (a few minutes, once). */
  public BaseImage ensure() {
    Path tarball = tarball();
    if (Files.isRegularFile(tarball)) {
      return BaseImage.tarball(tarball);
    }
    return underLock(false);
  }

  /**
   * The base image built again, even if cached. The cached tarball is replaced only by a finished
   * one: a build that fails (an unreachable mirror) leaves it as it was, for offline packagings.
   */
  public BaseImage rebuild() {
    return underLock(true);
  }

  private BaseImage underLock(boolean rebuild) {
    Path tarball = tarball();
    try {
      Files.createDirectories(cacheDirectory);
      // Another process may be building the same image: wait for it rather than build twice.
      try (FileChannel lockFile =
          FileChannel.open(
              cacheDirectory.resolve(".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
        FileLock lock = lockFile.lock();
        try {
          if (rebuild || !Files.isRegularFile(tarball)) {
            // With the lock held no other process builds: work found here was left by a build that
            // was stopped (Ctrl-C, kill -9), and is as large as the image.
            FileTrees.deleteStartingWith(
                cacheDirectory,
                WORK_PREFIX,
                RootfsImageWriter.LAYER_PREFIX,
                RootfsImageWriter.IMAGE_PREFIX);
            build(tarball);
          }
        } finally {
          lock.release();
        }
      }
      return BaseImage.tarball(tarball);
    } catch (IOException e) {
      throw new PackagingException(
          "Cannot build the default base image: " + CacheDirectory.space(cacheDirectory).reason(e),
          e);
    }
  }

  private void build(Path tarball) throws IOException {
    listener.step(
        "Building the default base image (Debian 12 + python3, numpy, scikit-learn, pandas) with"
            + " debootstrap; this happens once and takes a few minutes");
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new PackagingException(
          "Building the default base image needs root (debootstrap and chroot). Run 'odahu-pack base-image"
              + " build' once as root, or name a base image with the dockerfileBaseImage argument");
    }
    MirrorLogin login = MirrorLogin.of(mirror);
    Path work = Files.createTempDirectory(cacheDirectory, WORK_PREFIX);
    Path rootfs = work.resolve("rootfs");
    Path script = work.resolve(RECIPE);
    try {
      Files.writeString(script, recipe());
      ProcessBuilder recipe =
          new ProcessBuilder("bash", script.toString(), rootfs.toString(), login.url())
              .redirectErrorStream(true);
      // debootstrap's wget reads the mirror's login from $HOME/.netrc: never on a command line,
      // which every user can read, nor in the image's /etc/apt/sources.list.
      Path home = Files.createDirectory(work.resolve("home"), MirrorLogin.PRIVATE_DIRECTORY);
      recipe.environment().put("HOME", home.toString());
      if (login.netrc() != null) {
        Files.writeString(
            Files.createFile(home.resolve(".netrc"), MirrorLogin.PRIVATE_FILE), login.netrc());
      }
      Process process = recipe.start();
      List<String> lines;
      try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
        lines = reader.lines().peek(listener::detail).toList();
      }
      int status = process.waitFor();
      if (status != 0) {
        String tail =
            String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        throw new PackagingException(
            "The base image recipe failed (exit "
                + status
                + "). Is debootstrap installed (apt-get install"
                + " debootstrap) and "
                + login.url()
                + " reachable? Last output:\n"
                + MirrorLogin.withoutLogins(tail));
      }
      listener.step("Writing the base image tarball " + tarball);
      RootfsImageWriter.write(
          rootfs,
          tarball,
          "odahu-pack/debian-python:" + key(),
          List.of(PATH_ENV, "LANG=C.UTF-8"),
          Map.of("org.odahu.pack.base", "debian-12-python3", "org.odahu.pack.base.recipe", key()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackagingException("Interrupted while building the base image", e);
    } finally {
      FileTrees.delete(work);
    }
  }
}
