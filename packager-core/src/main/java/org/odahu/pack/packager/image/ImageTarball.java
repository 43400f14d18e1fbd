package org.odahu.pack.packager.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.odahu.pack.artifact.archive.ArchiveEntry;
import org.odahu.pack.artifact.archive.ArchiveException;
import org.odahu.pack.artifact.archive.ArchiveFormat;
import org.odahu.pack.artifact.archive.ArchiveLimitExceededException;
import org.odahu.pack.artifact.archive.ArchiveReader;
import org.odahu.pack.artifact.archive.ExtractionBudget;
import org.odahu.pack.artifact.archive.ExtractionLimits;
import org.odahu.pack.artifact.files.DiskSpace;
import org.odahu.pack.artifact.files.FileErrors;
import org.odahu.pack.packager.PackagingException;

/**
 * Reads an image tarball ({@code docker save} format or an OCI image layout) and unpacks its layers
 * into a root file system, e.g. to run the image with {@code bwrap} on a machine without a
 * container engine. Both go through the one {@link ArchiveReader}, with its limits and name checks;
 * {@link RootfsWriter} adds the rules of an image's root file system.
 */
public final class ImageTarball {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Index files (manifests, configs) are small; bigger entries are layers and are not kept. */
  private static final long MAX_INDEX_FILE_BYTES = 4 << 20;

  /** All index files kept in memory together. */
  private static final long MAX_INDEX_BYTES = 64 << 20;

  /**
   * Layers of one image: each is found by reading the tarball again, so a manifest naming one layer
   * a million times would take hours. Engines stop far below (overlayfs at ~128).
   */
  static final int MAX_LAYERS = 1000;

  private final Path tarball;
  private final JsonNode config;
  private final List<String> layers;
  private final JsonNode manifest;
  private final String name;
  private final String digest;

  private ImageTarball(
      Path tarball,
      JsonNode config,
      List<String> layers,
      JsonNode manifest,
      String name,
      String digest) {
    if (layers.size() > MAX_LAYERS) {
      throw new PackagingException(
          tarball + " lists " + layers.size() + " layers; at most " + MAX_LAYERS + " are read");
    }
    this.tarball = tarball;
    this.config = config;
    this.layers = layers;
    this.manifest = manifest;
    this.name = name;
    this.digest = digest;
  }

  /** Reads the tarball's index: its config and its layers' entry names, base first. */
  public static ImageTarball read(Path tarball) {
    try {
      Map<String, byte[]> index = index(tarball);
      if (index.containsKey("manifest.json")) {
        JsonNode manifest = JSON.readTree(index.get("manifest.json")).path(0);
        if (!manifest.isObject()) {
          throw new PackagingException(
              tarball + "'s manifest.json does not describe an image (a list of objects)");
        }
        List<String> layers = new ArrayList<>();
        manifest.path("Layers").forEach(layer -> layers.add(normalise(layer.asText())));
        String configName = normalise(manifest.path("Config").asText());
        return new ImageTarball(
            tarball,
            json(index, configName),
            layers,
            null,
            textOrNull(manifest.at("/RepoTags/0")),
            Digests.sha256(index.get(configName)));
      }
      if (index.containsKey("index.json")) {
        JsonNode descriptor = JSON.readTree(index.get("index.json")).at("/manifests/0");
        JsonNode manifest = json(index, blob(descriptor.path("digest")));
        List<String> layers = new ArrayList<>();
        manifest.path("layers").forEach(layer -> layers.add(blob(layer.path("digest"))));
        return new ImageTarball(
            tarball,
            json(index, blob(manifest.at("/config/digest"))),
            layers,
            manifest,
            textOrNull(descriptor.at("/annotations/org.opencontainers.image.ref.name")),
            descriptor.path("digest").asText());
      }
      throw new PackagingException(
          tarball + " is not an image tarball (no manifest.json or index.json)");
    } catch (IOException e) {
      throw new PackagingException(
          "Cannot read image tarball " + tarball + ": " + FileErrors.reason(e), e);
    } catch (ArchiveException e) {
      throw new PackagingException(
          "Cannot read image tarball " + tarball + ": " + e.getMessage(), e);
    }
  }

  private static String textOrNull(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }

  /** The tarball's small files by name: manifests, configs, indexes. */
  private static Map<String, byte[]> index(Path tarball) throws IOException {
    Map<String, byte[]> small = new HashMap<>();
    long[] kept = {0};
    new ArchiveReader(budget("Image tarball " + tarball, tarball))
        .read(
            tarball,
            ArchiveFormat.TAR,
            (entry, content) -> {
              if (entry.type() == ArchiveEntry.Type.FILE && entry.size() <= MAX_INDEX_FILE_BYTES) {
                byte[] bytes = content.readNBytes((int) MAX_INDEX_FILE_BYTES + 1);
                if (bytes.length <= MAX_INDEX_FILE_BYTES) {
                  kept[0] += bytes.length;
                  if (kept[0] > MAX_INDEX_BYTES) {
                    throw new ArchiveLimitExceededException(
                        tarball + " holds more than " + MAX_INDEX_BYTES + " bytes of small files");
                  }
                  small.put(entry.path(), bytes);
                }
              }
            });
    return small;
  }

  private static JsonNode json(Map<String, byte[]> index, String name) throws IOException {
    byte[] bytes = index.get(name);
    if (bytes == null) {
      throw new PackagingException("the image tarball has no " + name);
    }
    return JSON.readTree(bytes);
  }

  private static ExtractionBudget budget(String source, Path tarball) throws IOException {
    return new ExtractionBudget(source, ExtractionLimits.IMAGES, Files.size(tarball));
  }

  private static String blob(JsonNode digest) {
    return "blobs/" + digest.asText().replace(':', '/');
  }

  private static String normalise(String name) {
    return ArchiveReader.normalise(name);
  }

  /** The image configuration (its {@code config} section holds Env, Entrypoint, WorkingDir...). */
  public JsonNode config() {
    return config;
  }

  /** The OCI image manifest, or {@code null} for a {@code docker save} tarball (it has none). */
  public JsonNode manifest() {
    return manifest;
  }

  /**
   * The image's name recorded in the tarball ({@code docker save}'s first repository tag, an OCI
   * layout's {@code org.opencontainers.image.ref.name}), or {@code null}.
   */
  public String name() {
    return name;
  }

  /**
   * The digest that identifies the image: its manifest's for an OCI layout; for a {@code docker
   * save} tarball, which holds no manifest, its config's (the image id {@code docker images}
   * shows).
   */
  public String digest() {
    return digest;
  }

  /** The layers' entry names in the tarball, base first. */
  public List<String> layers() {
    return List.copyOf(layers);
  }

  /**
   * Unpacks every layer into {@code rootfs}, in order, applying whiteouts, within {@link
   * ExtractionLimits#IMAGES} for the whole image. Entries never land outside {@code rootfs} (see
   * {@link RootfsWriter}); device files and FIFOs are skipped (a runtime provides /dev).
   */
  public void unpack(Path rootfs) {
    unpackLayers(rootfs, new DiskSpace(rootfs, null), 0, layers.size(), () -> false);
  }

  /**
   * As {@link #unpack(Path)}, asking {@code stopping} before each entry: once it says yes, gives up
   * with a {@link PackagingException} (the program is stopping; an image may take many seconds).
   *
   * @param space where {@code rootfs} is, named when its file system fills up
   */
  public void unpack(Path rootfs, DiskSpace space, BooleanSupplier stopping) {
    unpackLayers(rootfs, space, 0, layers.size(), stopping);
  }

  /**
   * Unpacks layers {@code from} (inclusive) to {@code to} (exclusive), base first, on top of what
   * {@code rootfs} already holds (the layers below them), as {@link #unpack} does.
   *
   * @param space where {@code rootfs} is, named when its file system fills up
   */
  public void unpackLayers(Path rootfs, DiskSpace space, int from, int to) {
    unpackLayers(rootfs, space, from, to, () -> false);
  }

  private void unpackLayers(
      Path rootfs, DiskSpace space, int from, int to, BooleanSupplier stopping) {
    try {
      Files.createDirectories(rootfs);
      RootfsWriter rootfsWriter = new RootfsWriter(rootfs.toRealPath());
      ArchiveReader.EntryHandler writer =
          (entry, content) -> {
            if (stopping.getAsBoolean()) {
              throw new PackagingException(
                  "Unpacking " + tarball + " stopped: the program is stopping");
            }
            rootfsWriter.entry(entry, content);
          };
      ExtractionBudget budget = budget("Image " + tarball, tarball);
      for (String layer : layers.subList(from, to)) {
        unpackLayer(layer, new ArchiveReader(budget), writer, rootfsWriter);
      }
    } catch (IOException | ArchiveException e) {
      throw new PackagingException("Cannot unpack " + tarball + ": " + space.reason(e), e);
    }
  }

  private void unpackLayer(
      String layer, ArchiveReader reader, ArchiveReader.EntryHandler writer, RootfsWriter rootfs)
      throws IOException {
    boolean[] found = {false};
    // The outer tarball's own entries are counted by a budget of their own.
    new ArchiveReader(budget("Image tarball " + tarball, tarball))
        .read(
            tarball,
            ArchiveFormat.TAR,
            (entry, content) -> {
              if (!found[0]
                  && entry.type() == ArchiveEntry.Type.FILE
                  && entry.path().equals(layer)) {
                found[0] = true;
                reader.readTarStream(content, writer);
                rootfs.finishLayer();
              }
            });
    if (!found[0]) {
      throw new PackagingException("Layer " + layer + " is missing from " + tarball);
    }
  }

  /**
   * Where {@code name} lands inside {@code root}; see {@link RootfsWriter#inside(Path, String)}.
   */
  static Path inside(Path root, String name) throws IOException {
    return RootfsWriter.inside(root, name);
  }
}
