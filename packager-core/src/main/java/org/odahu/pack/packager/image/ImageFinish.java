package org.odahu.pack.packager.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What odahu-pack writes into an image after Jib has built it, because Jib's API cannot: the
 * config's {@code StopSignal} and the annotations of an OCI manifest. Pure functions of the
 * documents Jib wrote, so the same image always finishes to the same bytes.
 *
 * @param stopSignal the config's {@code StopSignal}, or {@code null} to leave it out
 * @param annotations the manifest's annotations, in order; none leaves the manifest as it is
 */
record ImageFinish(String stopSignal, Map<String, String> annotations) {
  /** An OCI image manifest's media type. */
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  ImageFinish {
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  /** Whether Jib's image is already finished. */
  boolean changesNothing() {
    return stopSignal == null && annotations.isEmpty();
  }

  /** The image config Jib wrote, with the stop signal. */
  byte[] config(byte[] jibConfig) throws IOException {
    ObjectNode config = object(JSON.readTree(jibConfig), "the image config");
    if (stopSignal != null) {
      JsonNode runtime = config.get("config");
      ObjectNode section = runtime instanceof ObjectNode node ? node : config.putObject("config");
      section.put("StopSignal", stopSignal);
    }
    return JSON.writeValueAsBytes(config);
  }

  /**
   * The OCI manifest Jib wrote, pointing at {@code config} instead of Jib's config, with the
   * annotations.
   */
  byte[] ociManifest(byte[] jibManifest, byte[] config) throws IOException {
    ObjectNode manifest = object(JSON.readTree(jibManifest), "the image manifest");
    if (!OCI_MANIFEST.equals(manifest.path("mediaType").asText())) {
      throw new IOException(
          "expected an OCI image manifest, got " + manifest.path("mediaType").asText("none"));
    }
    ObjectNode descriptor = object(manifest.get("config"), "the manifest's config");
    descriptor.put("digest", Digests.sha256(config));
    descriptor.put("size", config.length);
    if (!annotations.isEmpty()) {
      ObjectNode node = manifest.putObject("annotations");
      annotations.forEach(node::put);
    }
    return JSON.writeValueAsBytes(manifest);
  }

  private static ObjectNode object(JsonNode node, String what) throws IOException {
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw new IOException(what + " is not a JSON object");
  }
}
