package org.odahu.pack.packager.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An ODAHU {@code Connection} resource. Secrets stay as written (base64 in API manifests, plain in
 * a packager's {@code mp.json}); {@link #toString()} never shows them.
 *
 * @param id the connection id
 * @param spec its specification
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectionSpec(@JsonProperty("id") String id, @JsonProperty("spec") Body spec) {

  /** The resource kind as written in manifests. */
  public static final String KIND = "Connection";

  public ConnectionSpec {
    spec = spec == null ? new Body(null, null, null, null, null, null, null) : spec;
  }

  /**
   * The {@code spec} section.
   *
   * @param type {@code docker}, {@code ecr}, {@code s3}, ...
   * @param uri for docker: the registry host and an optional path prefix
   * @param username the registry user
   * @param password the registry password (secret)
   * @param keyId an access key id (secret)
   * @param keySecret an access key secret (secret)
   * @param region a cloud region
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Body(
      @JsonProperty("type") String type,
      @JsonProperty("uri") String uri,
      @JsonProperty("username") String username,
      @JsonProperty("password") String password,
      @JsonProperty("keyID") String keyId,
      @JsonProperty("keySecret") String keySecret,
      @JsonProperty("region") String region) {
    @Override
    public String toString() {
      return "Body[type=" + type + ", uri=" + uri + ", username=" + username + ", secrets=***]";
    }
  }
}
