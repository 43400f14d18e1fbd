package org.odahu.pack.server.capture.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.gppi.InvalidOptionsException.Problem;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Puts objects with the AWS SDK v2's S3 client, one attempt each (the SDK's own retries are off:
 * {@link BatchUploader} retries with its back-off). Errors become {@link ObjectUploadException}s
 * with the SDK's message (status, error code, request id; never credentials) and a hint.
 */
public final class S3ObjectUploader implements ObjectUploader {
  /** The region when none is configured: what S3-compatible stores expect in signatures. */
  static final Region FALLBACK_REGION = Region.US_EAST_1;

  private static final System.Logger LOG = System.getLogger(S3ObjectUploader.class.getName());

  private final S3Client client;
  private final String bucket;
  private final URI endpoint;

  /** Uploads into {@code bucket} with {@code client}, which this uploader closes. */
  public S3ObjectUploader(S3Client client, String bucket) {
    this(client, bucket, null);
  }

  private S3ObjectUploader(S3Client client, String bucket, URI endpoint) {
    this.client = client;
    this.bucket = bucket;
    this.endpoint = endpoint;
  }

  /** The custom endpoint the uploader reaches (without credentials), or null for AWS's. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * An uploader for {@code options}: credentials from the SDK's default chain (system properties,
   * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, web identity, {@code AWS_PROFILE},
   * container and instance roles), the region from {@code AWS_REGION} or the profile (and, for AWS
   * itself, the instance), else us-east-1. A custom endpoint ({@code --s3-endpoint}, else the SDK's
   * {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}) is reached path-style, with the
   * checksums every S3-compatible store understands.
   */
  public static S3ObjectUploader create(S3CaptureOptions options) {
    return create(options, DefaultCredentialsProvider.builder().build(), System::getenv);
  }

  /**
   * As {@link #create(S3CaptureOptions)}, with the credentials of {@code credentials} and the SDK's
   * endpoint variables read from {@code environment}.
   */
  static S3ObjectUploader create(
      S3CaptureOptions options,
      AwsCredentialsProvider credentials,
      UnaryOperator<String> environment) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(20)))
            .credentialsProvider(credentials)
            .overrideConfiguration(
                c ->
                    c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(30)));
    URI endpoint = options.endpoint() != null ? options.endpoint() : sdkEndpoint(environment);
    if (endpoint != null) {
      builder
          .endpointOverride(endpoint)
          .forcePathStyle(true)
          .region(
              region(
                  new AwsRegionProviderChain(
                      new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())))
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    } else {
      builder
          .region(region(DefaultAwsRegionProviderChain.builder().build()))
          .crossRegionAccessEnabled(true);
    }
    return new S3ObjectUploader(builder.build(), options.location().bucket(), endpoint);
  }

  /**
   * The endpoint the SDK itself would read from the environment, which users of S3-compatible
   * stores set instead of {@code --s3-endpoint}: the SDK would address it virtual-host style
   * ({@code bucket.minio:9000}), which such stores do not answer. {@code null} when none is set or
   * {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} is true.
   *
   * @throws InvalidOptionsException naming the variable, without its value, when it is not an
   *     http(s) URL with a host or holds credentials
   */
  static URI sdkEndpoint(UnaryOperator<String> environment) {
    if ("true".equalsIgnoreCase(environment.apply("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
      return null;
    }
    for (String name : List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")) {
      String value = environment.apply(name);
      if (value != null && !value.isBlank()) {
        if (value.contains("@")) {
          // Refused however it parses: a password with '/' or '#' leaves java.net.URI no host,
          // while the SDK, which reads the variable too, would still use it.
          throw new InvalidOptionsException(
              List.of(new Problem(name, S3CaptureOptions.CREDENTIALS_IN_URL)));
        }
        try {
          URI uri = new URI(value.strip());
          if (uri.getScheme() != null && uri.getHost() != null) {
            // Refused as --s3-endpoint is: credentials in it would be logged and sent as is.
            String problem = S3CaptureOptions.endpointProblem(uri);
            if (problem != null) {
              throw new InvalidOptionsException(List.of(new Problem(name, problem)));
            }
            return uri;
          }
        } catch (URISyntaxException e) {
          // Refused below, without the value: the SDK would read it too, and fail later.
        }
        throw new InvalidOptionsException(
            List.of(new Problem(name, S3CaptureOptions.NOT_AN_ENDPOINT)));
      }
    }
    return null;
  }

  /**
   * Refuses the SDK's endpoint variables as {@link #sdkEndpoint} would, while the command line is
   * read rather than once the model is ready.
   *
   * @throws InvalidOptionsException naming the variable, without its value
   */
  public static void checkSdkEndpoint(UnaryOperator<String> environment) {
    sdkEndpoint(environment);
  }

  /** The configured region; off AWS the instance metadata service is not asked. */
  private static Region region(AwsRegionProvider provider) {
    try {
      return provider.getRegion();
    } catch (SdkException e) {
      return FALLBACK_REGION;
    }
  }

  /**
   * Asks for the bucket once, so that the first feedback does not wait for the SDK to load and
   * connect, and so that an unreachable store, a missing bucket or refused credentials are logged
   * at start-up (a 403 only as information: credentials that may put but not list get it too).
   */
  public void warmUp() {
    try {
      client.headBucket(b -> b.bucket(bucket));
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Capture: bucket {0} does not exist; records are held and retried",
            bucket);
      } else if (e.statusCode() == 401 || e.statusCode() == 403) {
        // Shown, not as a warning: credentials that may only put objects get this too.
        LOG.log(
            System.Logger.Level.INFO,
            "Capture: bucket {0} answered {1} to a look at it: the credentials are wrong, or"
                + " may only put objects; the first upload will tell",
            bucket,
            e.statusCode());
      } else {
        LOG.log(System.Logger.Level.DEBUG, "Capture: bucket {0}: {1}", bucket, e.getMessage());
      }
    } catch (SdkException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Capture: cannot reach bucket {0}; records are held and retried: {1}",
          bucket,
          withRootCause(e));
    }
  }

  @Override
  public void put(String key, byte[] content) throws ObjectUploadException {
    try {
      // Streamed from the batch's own array: fromBytes would copy up to 512 MiB per attempt.
      client.putObject(
          b ->
              b.bucket(bucket)
                  .key(key)
                  .contentType("application/x-ndjson")
                  .overrideConfiguration(o -> o.apiCallTimeout(putTimeout(content.length))),
          RequestBody.fromContentProvider(
              () -> new java.io.ByteArrayInputStream(content),
              content.length,
              "application/x-ndjson"));
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String message = e.getMessage();
      if (code != null && !code.isEmpty() && !message.contains(code)) {
        message = code + ": " + message;
      }
      throw new ObjectUploadException(e.statusCode() + " " + code, message + hint(e), e);
    } catch (SdkException e) {
      throw new ObjectUploadException(rootCause(e).getClass().getName(), withRootCause(e), e);
    }
  }

  /**
   * How long one attempt to put {@code bytes} may take: 30 s, and a second more per MiB (a 512 MiB
   * object at 1 MiB/s). A store that stops sending is cut off sooner, after 20 s without a byte.
   */
  static java.time.Duration putTimeout(long bytes) {
    return java.time.Duration.ofSeconds(30 + (bytes >> 20));
  }

  /** The SDK's message and, when it does not say it, what failed underneath (a refused socket). */
  private static String withRootCause(SdkException e) {
    Throwable root = rootCause(e);
    String message = e.getMessage();
    return root.getMessage() == null || message.contains(root.getMessage())
        ? message
        : message + " (" + root + ")";
  }

  private String hint(AwsServiceException e) {
    int status = e.statusCode();
    if (status == 401 || status == 403) {
      return "; check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
          + " AWS_PROFILE) and that they may put objects into bucket "
          + bucket;
    }
    if (status == 404) {
      return "; does bucket " + bucket + " exist?";
    }
    return "";
  }

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && depth < 10; depth++) {
      root = root.getCause();
    }
    return root;
  }

  @Override
  public String describe(String key) {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public void close() {
    client.close();
  }
}
