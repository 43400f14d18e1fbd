package org.odahu.pack.baseimages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Turns a root file system into a one-layer image tarball in {@code docker save} format, which Jib
 * reads as a base image. Unlike a Jib layer, the tar keeps symbolic links, hard links, owners and
 * permission bits, as a root file system needs; entries are sorted and their times fixed.
 */
final class RootfsImageWriter {
  private static final Set<String> SKIPPED_CONTENT = Set.of("dev", "proc", "sys", "run", "tmp");
  private static final long FIXED_MTIME_SECONDS = 1;

  /** The prefixes of the temporary files written beside the tarball. */
  static final String LAYER_PREFIX = "layer-";

  static final String IMAGE_PREFIX = "image-";

  private RootfsImageWriter() {}

  /**
   * Writes {@code rootfs} as an image tarball: into a temporary file beside it, renamed over it
   * once complete, so that a failed write leaves whatever was there.
   *
   * @param rootfs the root file system
   * @param tarball the file to write
   * @param tag the repository tag recorded in the tarball
   * @param env environment of the image config
   * @param labels labels of the image config
   */
  static void write(
      Path rootfs, Path tarball, String tag, List<String> env, Map<String, String> labels)
      throws IOException {
    Path directory = tarball.toAbsolutePath().getParent();
    Path layer = Files.createTempFile(directory, LAYER_PREFIX, ".tar.gz");
    Path partial = null;
    try {
      MessageDigest diffId = sha256();
      MessageDigest compressed = sha256();
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(layer), 1 << 20);
          DigestOutputStream compressedDigest = new DigestOutputStream(file, compressed);
          GZIPOutputStream gzip = new GZIPOutputStream(compressedDigest, 1 << 16);
          DigestOutputStream uncompressed = new DigestOutputStream(gzip, diffId);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(uncompressed)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        writeTree(rootfs, tar);
      }
      String layerDigest = HexFormat.of().formatHex(compressed.digest());
      String diff = HexFormat.of().formatHex(diffId.digest());
      ObjectMapper json = new ObjectMapper();
      byte[] config = json.writeValueAsBytes(config(json, diff, env, labels));
      String configDigest = HexFormat.of().formatHex(sha256().digest(config));
      ArrayNode manifest = json.createArrayNode();
      ObjectNode image = manifest.addObject();
      image.put("Config", configDigest + ".json");
      image.putArray("RepoTags").add(tag);
      image.putArray("Layers").add(layerDigest + ".tar.gz");
      partial = Files.createTempFile(directory, IMAGE_PREFIX, ".tar");
      try (TarArchiveOutputStream out =
          new TarArchiveOutputStream(
              new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20))) {
        addBytes(out, "manifest.json", json.writeValueAsBytes(manifest));
        addBytes(out, configDigest + ".json", config);
        TarArchiveEntry entry = new TarArchiveEntry(layerDigest + ".tar.gz");
        entry.setSize(Files.size(layer));
        entry.setModTime(FIXED_MTIME_SECONDS * 1000);
        out.putArchiveEntry(entry);
        Files.copy(layer, out);
        out.closeArchiveEntry();
      }
      Files.setPosixFilePermissions(
          partial, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(
          partial,
          tarball,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      // A failed write (a full disk) leaves neither: each is as large as the image.
      Files.deleteIfExists(layer);
      if (partial != null) {
        Files.deleteIfExists(partial);
      }
    }
  }

  private static ObjectNode config(
      ObjectMapper json, String diffId, List<String> env, Map<String, String> labels) {
    ObjectNode config = json.createObjectNode();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put("created", "1970-01-01T00:00:00Z");
    ObjectNode runtime = config.putObject("config");
    ArrayNode envs = runtime.putArray("Env");
    env.forEach(envs::add);
    ObjectNode labelNode = runtime.putObject("Labels");
    // Sorted: a Map.of iterates in another order in every JVM, and the config's bytes make its
    // digest.
    new TreeMap<>(labels).forEach(labelNode::put);
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add("sha256:" + diffId);
    config
        .putArray("history")
        .addObject()
        .put("created", "1970-01-01T00:00:00Z")
        .put("created_by", "odahu-pack base-images");
    return config;
  }

  private static void addBytes(TarArchiveOutputStream out, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    entry.setModTime(FIXED_MTIME_SECONDS * 1000);
    out.putArchiveEntry(entry);
    out.write(bytes);
    out.closeArchiveEntry();
  }

  /** Every file below {@code rootfs}, parents first, in sorted order. */
  private static void writeTree(Path rootfs, TarArchiveOutputStream tar) throws IOException {
    List<Path> paths = new ArrayList<>();
    Files.walkFileTree(
        rootfs,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            paths.add(dir);
            Path relative = rootfs.relativize(dir);
            return relative.getNameCount() == 1 && SKIPPED_CONTENT.contains(relative.toString())
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            paths.add(file);
            return FileVisitResult.CONTINUE;
          }
        });
    paths.sort(null);
    Map<Object, String> firstLinks = new HashMap<>();
    for (Path path : paths) {
      String name = rootfs.relativize(path).toString();
      if (name.isEmpty()) {
        continue;
      }
      Map<String, Object> unix =
          Files.readAttributes(path, "unix:mode,uid,gid,ino,nlink,size", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) unix.get("mode");
      TarArchiveEntry entry;
      if (Files.isSymbolicLink(path)) {
        entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(Files.readSymbolicLink(path).toString());
      } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        entry = new TarArchiveEntry(name + "/");
      } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        Object inode = unix.get("ino");
        String first = (Integer) unix.get("nlink") > 1 ? firstLinks.putIfAbsent(inode, name) : null;
        if (first != null) {
          entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
          entry.setLinkName(first);
        } else {
          entry = new TarArchiveEntry(name);
          entry.setSize((Long) unix.get("size"));
        }
      } else {
        continue; // devices, sockets and FIFOs: a container runtime provides its own
      }
      entry.setMode(mode & 07777);
      entry.setUserId((Integer) unix.get("uid"));
      entry.setGroupId((Integer) unix.get("gid"));
      entry.setModTime(FIXED_MTIME_SECONDS * 1000);
      tar.putArchiveEntry(entry);
      if (entry.isFile() && entry.getSize() > 0) {
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
          in.transferTo(tar);
        }
      }
      tar.closeArchiveEntry();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
