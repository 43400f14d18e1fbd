package org.odahu.pack.pydeps.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.odahu.pack.pydeps.common.DependencyException;

/**
 * An image's root file system read straight from its layers, without unpacking: one pass indexes
 * every entry (applying whiteouts) and keeps the small files {@code prefetch} selects; any other
 * file is read by streaming its layer again.
 */
public final class LayeredImageRoot implements ImageRoot {
  private static final int PREFETCH_LIMIT = 1 << 20;

  /** An entry of the merged file system: where it comes from and, if prefetched, its bytes. */
  private record Node(ImageEntry entry, int layer, String entryName, String hardLinkTo) {}

  private final List<ImageLayers.Layer> layers;
  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<String, TreeSet<String>> children = new HashMap<>();
  private final Map<String, byte[]> contents = new HashMap<>();

  private LayeredImageRoot(List<ImageLayers.Layer> layers) {
    this.layers = List.copyOf(layers);
    nodes.put("/", new Node(new ImageEntry(ImageEntry.Kind.DIRECTORY, "", 0), -1, "", ""));
  }

  /**
   * Indexes {@code image}'s layers, keeping the content of files up to 1 MiB whose paths {@code
   * prefetch} accepts (e.g. {@link TargetDetector#PREFETCH}).
   */
  public static LayeredImageRoot read(ImageLayers image, Predicate<String> prefetch) {
    LayeredImageRoot root = new LayeredImageRoot(image.layers());
    for (int i = 0; i < root.layers.size(); i++) {
      ImageLayers.Layer layer = root.layers.get(i);
      try (TarArchiveInputStream tar = tar(layer)) {
        root.index(tar, i, prefetch);
      } catch (IOException e) {
        throw new DependencyException(
            "Cannot read layer " + layer.name() + ": " + e.getMessage(), e);
      }
    }
    return root;
  }

  private static TarArchiveInputStream tar(ImageLayers.Layer layer) throws IOException {
    InputStream content = new BufferedInputStream(layer.open(), 1 << 16);
    content.mark(4);
    byte[] magic = content.readNBytes(4);
    content.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new TarArchiveInputStream(
          GzipCompressorInputStream.builder().setInputStream(content).get());
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5) {
      content.close();
      throw new IOException("zstd-compressed layers are not supported");
    }
    return new TarArchiveInputStream(content);
  }

  private void index(TarArchiveInputStream tar, int layer, Predicate<String> prefetch)
      throws IOException {
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      String path = normalize(entry.getName());
      if (path.equals("/")) {
        continue;
      }
      String name = path.substring(path.lastIndexOf('/') + 1);
      String parent = parent(path);
      if (name.equals(".wh..wh..opq")) {
        List.copyOf(children.getOrDefault(parent, new TreeSet<>())).stream()
            .map(child -> join(parent, child))
            .filter(child -> nodes.get(child) != null && nodes.get(child).layer() < layer)
            .forEach(this::remove);
      } else if (name.startsWith(".wh.")) {
        remove(join(parent, name.substring(4)));
      } else {
        add(path, entry, layer, tar, prefetch);
      }
    }
  }

  private void add(
      String path, TarArchiveEntry entry, int layer, InputStream tar, Predicate<String> prefetch)
      throws IOException {
    ImageEntry.Kind kind =
        entry.isDirectory()
            ? ImageEntry.Kind.DIRECTORY
            : entry.isSymbolicLink()
                ? ImageEntry.Kind.SYMLINK
                : entry.isFile() || entry.isLink() ? ImageEntry.Kind.FILE : ImageEntry.Kind.OTHER;
    Node old = nodes.get(path);
    if (old != null
        && (kind != ImageEntry.Kind.DIRECTORY || old.entry().kind() != ImageEntry.Kind.DIRECTORY)) {
      remove(path);
    }
    String hardLink = entry.isLink() ? normalize(entry.getLinkName()) : "";
    String link = entry.isSymbolicLink() ? entry.getLinkName() : "";
    ensureParents(path, layer);
    long size = entry.isLink() ? 0 : entry.getSize();
    nodes.put(path, new Node(new ImageEntry(kind, link, size), layer, entry.getName(), hardLink));
    children
        .computeIfAbsent(parent(path), p -> new TreeSet<>())
        .add(path.substring(path.lastIndexOf('/') + 1));
    contents.remove(path);
    if (entry.isFile() && !entry.isLink() && size <= PREFETCH_LIMIT && prefetch.test(path)) {
      contents.put(path, tar.readNBytes((int) size));
    }
  }

  private void ensureParents(String path, int layer) {
    String parent = parent(path);
    if (!parent.equals("/") && !nodes.containsKey(parent)) {
      ensureParents(parent, layer);
      nodes.put(parent, new Node(new ImageEntry(ImageEntry.Kind.DIRECTORY, "", 0), layer, "", ""));
      children
          .computeIfAbsent(parent(parent), p -> new TreeSet<>())
          .add(parent.substring(parent.lastIndexOf('/') + 1));
    }
  }

  private void remove(String path) {
    if (nodes.remove(path) == null) {
      return;
    }
    contents.remove(path);
    TreeSet<String> siblings = children.get(parent(path));
    if (siblings != null) {
      siblings.remove(path.substring(path.lastIndexOf('/') + 1));
    }
    TreeSet<String> below = children.remove(path);
    if (below != null) {
      below.forEach(child -> remove(join(path, child)));
    }
  }

  private static String normalize(String name) {
    String path = name;
    while (path.startsWith("./") || path.startsWith("/")) {
      path = path.substring(path.startsWith("./") ? 2 : 1);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return "/" + path;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static String join(String directory, String name) {
    return directory.equals("/") ? "/" + name : directory + "/" + name;
  }

  @Override
  public Optional<ImageEntry> entry(String path) {
    return Optional.ofNullable(nodes.get(normalize(path))).map(Node::entry);
  }

  @Override
  public List<String> list(String path) {
    return new ArrayList<>(children.getOrDefault(normalize(path), new TreeSet<>()));
  }

  @Override
  public byte[] read(String path, int maxBytes) throws IOException {
    String normalized = normalize(path);
    Node node = nodes.get(normalized);
    if (node == null || node.entry().kind() != ImageEntry.Kind.FILE) {
      throw new IOException("Not a file in the image: " + path);
    }
    if (!node.hardLinkTo().isEmpty()) {
      return read(node.hardLinkTo(), maxBytes);
    }
    byte[] cached = contents.get(normalized);
    if (cached != null) {
      return cached.length <= maxBytes ? cached : java.util.Arrays.copyOf(cached, maxBytes);
    }
    try (TarArchiveInputStream tar = tar(layers.get(node.layer()))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.getName().equals(node.entryName())) {
          return tar.readNBytes(maxBytes);
        }
      }
    }
    throw new IOException("Entry " + node.entryName() + " vanished from its layer");
  }
}
