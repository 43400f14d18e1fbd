package org.odahu.pack.packager.image;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import com.google.cloud.tools.jib.registry.RegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;

/**
 * Finishes an image Jib pushed ({@link ImageFinish}): pushes the finished config, then the finished
 * OCI manifest under the destination's tag. Jib pushed its own manifest under a staging tag ({@link
 * ImageBuilder}), so the destination's tag changes only here, in one step; Jib's config stays in
 * the registry, unreferenced, for its garbage collection.
 */
final class RegistryFinisher {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RegistryFinisher() {}

  /** The finished image of {@code pushed}, in the registry {@code session} is open on. */
  static BuiltImage finish(RegistrySession session, BuiltImage pushed, ImageFinish finish)
      throws IOException, RegistryException {
    RegistryClient client = session.client();
    byte[] jibManifest =
        JsonTemplateMapper.toByteArray(client.pullManifest(pushed.digest()).getManifest());
    DescriptorDigest jibConfig = digest(JSON.readTree(jibManifest).at("/config/digest").asText());
    byte[] config =
        finish.config(
            Blobs.writeToByteArray(client.pullBlob(jibConfig, size -> {}, progress -> {})));
    DescriptorDigest configDigest = digest(Digests.sha256(config));
    if (client.checkBlob(configDigest).isEmpty()) {
      client.pushBlob(configDigest, Blobs.from(out -> out.write(config), true), null, sent -> {});
    }
    byte[] manifest = finish.ociManifest(jibManifest, config);
    DescriptorDigest digest =
        client.pushManifest(new RawManifest(manifest), session.reference().getQualifier());
    return new BuiltImage(pushed.reference(), digest.toString(), configDigest.toString(), true);
  }

  private static DescriptorDigest digest(String digest) throws IOException {
    try {
      return DescriptorDigest.fromDigest(digest);
    } catch (DigestException e) {
      throw new IOException("not a digest: " + digest, e);
    }
  }

  /** An OCI manifest sent as exactly these bytes (Jib serialises templates with Jackson). */
  static final class RawManifest implements ManifestTemplate {
    private final String json;

    RawManifest(byte[] json) {
      this.json = new String(json, StandardCharsets.UTF_8);
    }

    @JsonValue
    RawValue json() {
      return new RawValue(json);
    }

    @Override
    public int getSchemaVersion() {
      return 2;
    }

    @Override
    public String getManifestMediaType() {
      return ImageFinish.OCI_MANIFEST;
    }
  }
}
