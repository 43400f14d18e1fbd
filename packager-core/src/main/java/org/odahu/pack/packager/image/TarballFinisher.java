package org.odahu.pack.packager.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Finishes an image tarball Jib wrote ({@link ImageFinish}): its config is replaced and, in an OCI
 * layout, its manifest and {@code index.json} too; every other entry is copied as it is, in the
 * same order, so the finished tarball is as reproducible as Jib's.
 */
final class TarballFinisher {
  /** Index files are small; Jib's tarball is trusted, this only bounds the memory they take. */
  private static final long MAX_INDEX_FILE_BYTES = 4 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TarballFinisher() {}

  /**
   * The finished image's digests.
   *
   * @param digest its manifest's: the OCI manifest's, or for a {@code docker save} tarball the
   *     Docker manifest a push would send (as Jib reports it)
   * @param imageId its config's
   */
  record Finished(String digest, String imageId) {}

  /** An entry written with other content, maybe under another name. */
  private static final class Replacement {
    private final String name;
    private final byte[] content;

    Replacement(String name, byte[] content) {
      this.name = name;
      this.content = content;
    }

    String name() {
      return name;
    }

    byte[] content() {
      return content;
    }
  }

  /** Writes {@code jibTarball}, finished, to {@code target}. */
  static Finished finish(Path jibTarball, Path target, ImageFinish finish) throws IOException {
    Map<String, byte[]> small = new HashMap<>();
    Map<String, Long> sizes = new HashMap<>();
    try (TarArchiveInputStream in = open(jibTarball)) {
      for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
        sizes.put(entry.getName(), entry.getSize());
        if (entry.isFile() && entry.getSize() <= MAX_INDEX_FILE_BYTES) {
          small.put(entry.getName(), in.readAllBytes());
        }
      }
    }
    Map<String, Replacement> replacements = new HashMap<>();
    Finished finished =
        small.containsKey("index.json")
            ? oci(small, finish, replacements)
            : docker(small, sizes, finish, replacements);
    copy(jibTarball, target, replacements);
    return finished;
  }

  private static Finished oci(
      Map<String, byte[]> small, ImageFinish finish, Map<String, Replacement> replacements)
      throws IOException {
    ObjectNode index = (ObjectNode) JSON.readTree(required(small, "index.json"));
    JsonNode descriptor = index.at("/manifests/0");
    if (!(descriptor instanceof ObjectNode manifestDescriptor)) {
      throw new IOException("index.json lists no manifest");
    }
    String manifestName = blob(descriptor.path("digest").asText());
    byte[] jibManifest = required(small, manifestName);
    String configName = blob(JSON.readTree(jibManifest).at("/config/digest").asText());
    byte[] config = finish.config(required(small, configName));
    byte[] manifest = finish.ociManifest(jibManifest, config);
    manifestDescriptor.put("digest", Digests.sha256(manifest));
    manifestDescriptor.put("size", manifest.length);
    replacements.put(configName, new Replacement(blob(Digests.sha256(config)), config));
    replacements.put(manifestName, new Replacement(blob(Digests.sha256(manifest)), manifest));
    replacements.put("index.json", new Replacement("index.json", JSON.writeValueAsBytes(index)));
    return new Finished(Digests.sha256(manifest), Digests.sha256(config));
  }

  /** A {@code docker save} tarball: only the config changes (it is named config.json). */
  private static Finished docker(
      Map<String, byte[]> small,
      Map<String, Long> sizes,
      ImageFinish finish,
      Map<String, Replacement> replacements)
      throws IOException {
    JsonNode image = JSON.readTree(required(small, "manifest.json")).path(0);
    String configName = image.path("Config").asText();
    byte[] config = finish.config(required(small, configName));
    replacements.put(configName, new Replacement(configName, config));
    V22ManifestTemplate manifest = new V22ManifestTemplate();
    try {
      manifest.setContainerConfiguration(config.length, digest(Digests.sha256(config)));
      for (JsonNode layer : image.path("Layers")) {
        String name = layer.asText();
        // Jib names a layer by its compressed digest: <hex>.tar.gz.
        String hash = name.substring(0, name.indexOf('.'));
        manifest.addLayer(sizes.get(name), DescriptorDigest.fromHash(hash));
      }
    } catch (DigestException | RuntimeException e) {
      throw new IOException("unexpected layer names in manifest.json: " + image, e);
    }
    return new Finished(
        Digests.sha256(JsonTemplateMapper.toByteArray(manifest)), Digests.sha256(config));
  }

  private static DescriptorDigest digest(String digest) throws DigestException {
    return DescriptorDigest.fromDigest(digest);
  }

  private static void copy(Path source, Path target, Map<String, Replacement> replacements)
      throws IOException {
    try (TarArchiveInputStream in = open(source);
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20);
        TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
        Replacement replacement = replacements.get(entry.getName());
        if (replacement == null) {
          out.putArchiveEntry(entry);
          in.transferTo(out);
        } else {
          // A new header: the input stream still needs the old one's size to skip the content.
          TarArchiveEntry replaced = new TarArchiveEntry(replacement.name());
          replaced.setSize(replacement.content().length);
          replaced.setMode(entry.getMode());
          replaced.setLastModifiedTime(entry.getLastModifiedTime());
          replaced.setUserId(entry.getLongUserId());
          replaced.setGroupId(entry.getLongGroupId());
          replaced.setNames(entry.getUserName(), entry.getGroupName());
          out.putArchiveEntry(replaced);
          out.write(replacement.content());
        }
        out.closeArchiveEntry();
      }
    }
  }

  private static TarArchiveInputStream open(Path tarball) throws IOException {
    InputStream file = new BufferedInputStream(Files.newInputStream(tarball), 1 << 20);
    return new TarArchiveInputStream(file);
  }

  private static byte[] required(Map<String, byte[]> small, String name) throws IOException {
    byte[] bytes = small.get(name);
    if (bytes == null) {
      throw new IOException("the image tarball has no " + name);
    }
    return bytes;
  }

  private static String blob(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }
}
