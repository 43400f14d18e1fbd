package org.odahu.pack.packager.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.odahu.pack.packager.PackagingException;

/**
 * Reads an image tarball ({@code docker save} format or an OCI image layout) and unpacks its layers
 * into a root file system, e.g. to run the image with {@code bwrap} on a machine without a
 * container engine.
 */
public final class ImageTarball {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path tarball;
  private final JsonNode config;
  private final List<String> layers;

  private ImageTarball(Path tarball, JsonNode config, List<String> layers) {
    this.tarball = tarball;
    this.config = config;
    this.layers = layers;
  }

  /** Reads the tarball's index: its config and its layers' entry names, base first. */
  public static ImageTarball read(Path tarball) {
    Map<String, byte[]> small = new HashMap<>();
    try (TarArchiveInputStream tar = open(tarball)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile() && entry.getSize() < (4 << 20)) {
          small.put(normalize(entry.getName()), tar.readAllBytes());
        }
      }
      if (small.containsKey("manifest.json")) {
        JsonNode manifest = JSON.readTree(small.get("manifest.json")).get(0);
        List<String> layers = new ArrayList<>();
        manifest.path("Layers").forEach(layer -> layers.add(normalize(layer.asText())));
        return new ImageTarball(
            tarball, JSON.readTree(small.get(normalize(manifest.path("Config").asText()))), layers);
      }
      if (small.containsKey("index.json")) {
        JsonNode index = JSON.readTree(small.get("index.json"));
        JsonNode manifest =
            JSON.readTree(small.get(blob(index.at("/manifests/0/digest").asText())));
        List<String> layers = new ArrayList<>();
        manifest.path("layers").forEach(layer -> layers.add(blob(layer.path("digest").asText())));
        return new ImageTarball(
            tarball,
            JSON.readTree(small.get(blob(manifest.at("/config/digest").asText()))),
            layers);
      }
      throw new PackagingException(
          tarball + " is not an image tarball (no manifest.json or index.json)");
    } catch (IOException | RuntimeException e) {
      if (e instanceof PackagingException packaging) {
        throw packaging;
      }
      throw new PackagingException(
          "Cannot read image tarball " + tarball + ": " + e.getMessage(), e);
    }
  }

  private static String blob(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  private static String normalize(String name) {
    return name.startsWith("./") ? name.substring(2) : name;
  }

  private static TarArchiveInputStream open(Path file) throws IOException {
    return new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  /** The image configuration (its {@code config} section holds Env, Entrypoint, WorkingDir...). */
  public JsonNode config() {
    return config;
  }

  /** The layers' entry names in the tarball, base first. */
  public List<String> layers() {
    return List.copyOf(layers);
  }

  /**
   * Unpacks every layer into {@code rootfs}, in order, applying whiteouts. Entries never land
   * outside {@code rootfs}: paths are resolved inside it, following the image's own links as a
   * container would. Device files are skipped (a runtime provides /dev).
   */
  public void unpack(Path rootfs) {
    try {
      Files.createDirectories(rootfs);
      Path root = rootfs.toRealPath();
      for (String layer : layers) {
        unpackLayer(layer, root);
      }
    } catch (IOException e) {
      throw new PackagingException("Cannot unpack " + tarball + ": " + e.getMessage(), e);
    }
  }

  private void unpackLayer(String layer, Path root) throws IOException {
    try (TarArchiveInputStream outer = open(tarball)) {
      TarArchiveEntry entry;
      while ((entry = outer.getNextEntry()) != null) {
        if (normalize(entry.getName()).equals(layer)) {
          InputStream content = new BufferedInputStream(outer, 1 << 16);
          content.mark(2);
          int first = content.read();
          int second = content.read();
          content.reset();
          InputStream plain =
              first == 0x1f && second == 0x8b
                  ? GzipCompressorInputStream.builder().setInputStream(content).get()
                  : content;
          extract(new TarArchiveInputStream(plain), root);
          return;
        }
      }
    }
    throw new PackagingException("Layer " + layer + " is missing from " + tarball);
  }

  private static void extract(TarArchiveInputStream tar, Path root) throws IOException {
    List<TarArchiveEntry> hardLinks = new ArrayList<>();
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      String name = normalize(entry.getName());
      Path path = inside(root, name);
      if (path == null) {
        continue;
      }
      String file = path.getFileName() == null ? "" : path.getFileName().toString();
      if (file.equals(".wh..wh..opq")) {
        clear(path.getParent());
        continue;
      }
      if (file.startsWith(".wh.")) {
        deleteTree(path.resolveSibling(file.substring(4)));
        continue;
      }
      if (entry.isDirectory()) {
        if (!Files.isDirectory(path)) {
          deleteTree(path);
          Files.createDirectories(path);
        }
        chmod(path, entry.getMode());
      } else if (entry.isSymbolicLink()) {
        deleteTree(path);
        Files.createDirectories(path.getParent());
        Files.createSymbolicLink(path, path.getFileSystem().getPath(entry.getLinkName()));
      } else if (entry.isLink()) {
        hardLinks.add(entry);
      } else if (entry.isFile()) {
        deleteTree(path);
        Files.createDirectories(path.getParent());
        Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
        chmod(path, entry.getMode());
      }
    }
    for (TarArchiveEntry link : hardLinks) {
      Path path = inside(root, normalize(link.getName()));
      Path target = inside(root, normalize(link.getLinkName()));
      if (path != null
          && target != null
          && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(path);
        Files.createLink(path, target);
      }
    }
  }

  /**
   * Where {@code name} lands inside {@code root}, resolving links along the way as if {@code root}
   * were {@code /}: an absolute link target is taken from the root, {@code ..} stops at the root.
   */
  static Path inside(Path root, String name) throws IOException {
    Path current = root;
    String[] parts = name.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        current = current.equals(root) ? root : current.getParent();
        continue;
      }
      Path next = current.resolve(part);
      boolean last = i == parts.length - 1;
      if (!last && Files.isSymbolicLink(next)) {
        for (int hops = 0; Files.isSymbolicLink(next); hops++) {
          if (hops > 40) {
            return null;
          }
          String target = Files.readSymbolicLink(next).toString();
          Path base = target.startsWith("/") ? root : next.getParent();
          next = inside(root, root.relativize(base).toString() + "/" + target);
          if (next == null) {
            return null;
          }
        }
      }
      current = next;
    }
    return current.normalize().startsWith(root) ? current : null;
  }

  private static void chmod(Path path, int mode) throws IOException {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        permissions.add(bits[i]);
      }
    }
    permissions.add(PosixFilePermission.OWNER_WRITE);
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      permissions.add(PosixFilePermission.OWNER_EXECUTE);
      permissions.add(PosixFilePermission.OWNER_READ);
    }
    Files.setPosixFilePermissions(path, permissions);
  }

  private static void clear(Path directory) throws IOException {
    if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> children = Files.list(directory)) {
        for (Path child : children.toList()) {
          deleteTree(child);
        }
      }
    }
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      clear(path);
    }
    Files.delete(path);
  }
}
