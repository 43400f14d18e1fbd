package org.odahu.pack.pydeps.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.odahu.pack.artifact.files.FileErrors;
import org.odahu.pack.pydeps.common.DependencyException;

/**
 * The layers and configuration of an image tarball: Docker's {@code docker save} format ({@code
 * manifest.json}) or an OCI image layout ({@code index.json} and {@code blobs/}).
 */
public final class ImageTarballLayers implements ImageLayers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path tarball;
  private final List<String> entries;
  private final JsonNode config;

  private ImageTarballLayers(Path tarball, List<String> entries, JsonNode config) {
    this.tarball = tarball;
    this.entries = List.copyOf(entries);
    this.config = config;
  }

  /** Reads the tarball's index: its image configuration and its layers' entries. */
  public static ImageTarballLayers read(Path tarball) {
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
        byte[] config = small.get(normalize(manifest.path("Config").asText()));
        return new ImageTarballLayers(
            tarball, layers, config == null ? null : JSON.readTree(config));
      }
      if (small.containsKey("index.json")) {
        JsonNode index = JSON.readTree(small.get("index.json"));
        JsonNode manifest =
            JSON.readTree(small.get(blob(index.at("/manifests/0/digest").asText())));
        List<String> layers = new ArrayList<>();
        manifest.path("layers").forEach(layer -> layers.add(blob(layer.path("digest").asText())));
        byte[] config = small.get(blob(manifest.at("/config/digest").asText()));
        return new ImageTarballLayers(
            tarball, layers, config == null ? null : JSON.readTree(config));
      }
    } catch (IOException e) {
      throw new DependencyException(
          "Cannot read image tarball " + tarball + ": " + FileErrors.reason(e), e);
    } catch (RuntimeException e) {
      throw new DependencyException(
          "Cannot read image tarball " + tarball + ": " + e.getMessage(), e);
    }
    throw new DependencyException(
        tarball + " is not an image tarball (no manifest.json or index.json)");
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

  @Override
  public List<Layer> layers() {
    List<Layer> layers = new ArrayList<>();
    for (String entry : entries) {
      layers.add(new TarballLayer(entry));
    }
    return layers;
  }

  /** The image's architecture ({@code amd64}, {@code arm64}...), if its configuration says. */
  public Optional<String> architecture() {
    return Optional.ofNullable(config).map(c -> c.path("architecture").asText(null));
  }

  /** The image's environment variables ({@code config.Env}). */
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    if (config != null) {
      for (JsonNode variable : config.at("/config/Env")) {
        String text = variable.asText();
        int equals = text.indexOf('=');
        if (equals > 0) {
          environment.put(text.substring(0, equals), text.substring(equals + 1));
        }
      }
    }
    return environment;
  }

  /** One layer: the tarball is read up to the layer's entry each time the layer is opened. */
  private final class TarballLayer implements Layer {
    private final String entry;

    TarballLayer(String entry) {
      this.entry = entry;
    }

    @Override
    public String name() {
      return entry;
    }

    @Override
    public InputStream open() throws IOException {
      TarArchiveInputStream outer = ImageTarballLayers.open(tarball);
      TarArchiveEntry next;
      while ((next = outer.getNextEntry()) != null) {
        if (normalize(next.getName()).equals(entry)) {
          return outer;
        }
      }
      outer.close();
      throw new IOException("Layer " + entry + " is missing from " + tarball);
    }
  }
}
