package org.odahu.pack.packager.image;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.packager.EcrKeys;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryCredentials;
import org.odahu.pack.packager.RegistryTarget;
import org.odahu.pack.pydeps.common.Redaction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.EcrClientBuilder;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;

/**
 * Registry credentials for an ODAHU {@code ecr} connection, as ODAHU's packagers got them: with the
 * connection's keys and region, the image's repository is created (mutable tags; one that exists is
 * kept as it is) and a login token is asked of ECR's API, whose user and password Jib then sends.
 * The token is valid for 12 hours, longer than any packaging.
 */
public final class EcrLogin {
  /** The source named by errors about credentials from an ECR login token. */
  public static final String SOURCE = "an ECR login token";

  /**
   * ODAHU's pattern of ECR registries: the account, {@code -fips}, the region, China's domain (and
   * a port, which ODAHU's pattern let through too).
   */
  private static final Pattern REGISTRY =
      Pattern.compile(
          "([a-zA-Z0-9][a-zA-Z0-9-_]*)\\.dkr\\.ecr(-fips)?\\.([a-zA-Z0-9][a-zA-Z0-9-_]*)"
              + "\\.amazonaws\\.com(\\.cn)?(:[0-9]+)?");

  private final URI endpoint;

  /** Reaches ECR's API where the SDK does: {@code AWS_ENDPOINT_URL_ECR}, else the region's own. */
  public EcrLogin() {
    this(null);
  }

  /** Reaches ECR's API at {@code endpoint} (for tests), or where the SDK does when {@code null}. */
  EcrLogin(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** The region of an ECR registry host, e.g. {@code eu-central-1}; empty for another registry. */
  static Optional<String> region(String host) {
    Matcher matcher = REGISTRY.matcher(host.toLowerCase(Locale.ROOT));
    return matcher.matches() ? Optional.of(matcher.group(3)) : Optional.empty();
  }

  /**
   * Checks that {@code uri}, an {@code ecr} connection's, names an ECR registry.
   *
   * @throws PackagingException naming the connection when it does not
   */
  public static void checkUri(String connectionId, String uri) {
    if (new RegistryTarget(uri, null).registry().flatMap(EcrLogin::region).isEmpty()) {
      throw new PackagingException(
          "Connection '"
              + connectionId
              + "' is of type ecr, but its uri '"
              + Redaction.urls(uri)
              + "' names no ECR registry (ACCOUNT.dkr.ecr.REGION.amazonaws.com, optionally with a"
              + " path)");
    }
  }

  /**
   * Credentials for {@code reference} in an ECR registry, with {@code keys}.
   *
   * @param createRepository whether to create the reference's repository first (to push to it)
   * @throws PackagingException naming the connection when the reference is in no ECR registry, or
   *     ECR's API cannot be reached or refuses the keys; never with the keys in its message
   */
  public RegistryCredentials credentials(EcrKeys keys, String reference, boolean createRepository) {
    ImageReference image;
    try {
      image = ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new PackagingException("Not a valid image reference: " + reference, e);
    }
    String registryRegion =
        region(image.getRegistry())
            .orElseThrow(
                () ->
                    new PackagingException(
                        "Connection '"
                            + keys.connectionId()
                            + "' is of type ecr, but "
                            + reference
                            + " is in no ECR registry"));
    String region = keys.region().isEmpty() ? registryRegion : keys.region();
    try (EcrClient ecr = client(keys, region)) {
      if (createRepository) {
        try {
          ecr.createRepository(
              r ->
                  r.repositoryName(image.getRepository())
                      .imageTagMutability(ImageTagMutability.MUTABLE));
        } catch (RepositoryAlreadyExistsException e) {
          // As ODAHU's packagers: an existing repository is used as it is.
        }
      }
      // ODAHU named the registry's account; ECR has deprecated that: a token opens every registry
      // the keys may reach.
      AuthorizationData data =
          ecr.getAuthorizationToken().authorizationData().stream()
              .findFirst()
              .orElseThrow(() -> refused(keys, region, "it gave no login token", null));
      return token(keys, region, data.authorizationToken());
    } catch (AwsServiceException e) {
      String detail =
          e.awsErrorDetails() == null
              ? e.getMessage()
              : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
      throw refused(keys, region, detail, e);
    } catch (SdkException e) {
      throw new PackagingException(
          "Cannot reach ECR's API in "
              + region
              + " for connection '"
              + keys.connectionId()
              + "': "
              + hidden(keys, e.getMessage()),
          e);
    }
  }

  private EcrClient client(EcrKeys keys, String region) {
    AwsCredentialsProvider credentials =
        keys.keyId().isEmpty()
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(
                AwsBasicCredentials.create(keys.keyId(), keys.keySecret()));
    EcrClientBuilder builder =
        EcrClient.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(30)))
            .credentialsProvider(credentials)
            .region(Region.of(region))
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMinutes(2)));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  private static RegistryCredentials token(EcrKeys keys, String region, String token) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(token == null ? "" : token), UTF_8);
    } catch (IllegalArgumentException e) {
      throw refused(keys, region, "its login token is not base64", e);
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw refused(keys, region, "its login token is not USER:PASSWORD", null);
    }
    return new RegistryCredentials(
        decoded.substring(0, colon), decoded.substring(colon + 1), SOURCE);
  }

  private static PackagingException refused(
      EcrKeys keys, String region, String detail, Throwable cause) {
    return new PackagingException(
        "ECR's API in "
            + region
            + " refused the keys of connection '"
            + keys.connectionId()
            + "' ("
            + hidden(keys, detail)
            + "): check its keyID, keySecret and region, and that they may call"
            + " ecr:CreateRepository and ecr:GetAuthorizationToken",
        cause);
  }

  /** {@code text} without the connection's keys, which an error's text may quote. */
  private static String hidden(EcrKeys keys, String text) {
    String shown = text == null ? "" : text;
    for (String key : new String[] {keys.keySecret(), keys.keyId()}) {
      if (!key.isEmpty()) {
        shown = shown.replace(key, "****");
      }
    }
    return shown;
  }
}
