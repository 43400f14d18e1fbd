package org.odahu.pack.packager;

/**
 * The keys of an ODAHU {@code ecr} connection, with which a login token for its registry is asked
 * of ECR's API. {@link #toString()} never shows them.
 *
 * @param connectionId the connection's id, for messages
 * @param keyId the AWS access key id, or empty for the SDK's default credentials (environment, web
 *     identity, profile, container or instance role)
 * @param keySecret the AWS secret access key
 * @param region the connection's region, or empty for the region in the registry's host name
 */
public record EcrKeys(String connectionId, String keyId, String keySecret, String region) {
  public EcrKeys {
    keyId = keyId == null ? "" : keyId.strip();
    keySecret = keySecret == null ? "" : keySecret.strip();
    region = region == null ? "" : region.strip();
  }

  @Override
  public String toString() {
    return "EcrKeys[connectionId=" + connectionId + ", keys=***, region=" + region + "]";
  }
}
