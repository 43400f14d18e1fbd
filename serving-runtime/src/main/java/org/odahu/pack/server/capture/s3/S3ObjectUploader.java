package org.odahu.pack.server.capture.s3;

import java.time.Duration;
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

  private final S3Client client;
  private final String bucket;

  /** Uploads into {@code bucket} with {@code client}, which this uploader closes. */
  public S3ObjectUploader(S3Client client, String bucket) {
    this.client = client;
    this.bucket = bucket;
  }

  /**
   * An uploader for {@code options}: credentials from the SDK's default chain (system properties,
   * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, web identity, {@code AWS_PROFILE},
   * container and instance roles), the region from {@code AWS_REGION} or the profile (and, for AWS
   * itself, the instance), else us-east-1. A custom endpoint is reached path-style, with the
   * checksums every S3-compatible store understands.
   */
  public static S3ObjectUploader create(S3CaptureOptions options) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60)))
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .overrideConfiguration(
                c ->
                    c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofMinutes(2)))
            // HttpURLConnection handles "Expect: 100-continue" refusals badly; objects are small.
            .serviceConfiguration(c -> c.expectContinueEnabled(false));
    if (options.endpoint() != null) {
      builder
          .endpointOverride(options.endpoint())
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
    return new S3ObjectUploader(builder.build(), options.location().bucket());
  }

  /** The configured region; off AWS the instance metadata service is not asked. */
  private static Region region(AwsRegionProvider provider) {
    try {
      return provider.getRegion();
    } catch (SdkException e) {
      return FALLBACK_REGION;
    }
  }

  @Override
  public void put(String key, byte[] content) throws ObjectUploadException {
    try {
      client.putObject(
          b -> b.bucket(bucket).key(key).contentType("application/x-ndjson"),
          RequestBody.fromBytes(content));
    } catch (AwsServiceException e) {
      throw new ObjectUploadException(e.getMessage() + hint(e), e);
    } catch (SdkException e) {
      throw new ObjectUploadException(e.getMessage(), e);
    }
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

  @Override
  public String describe(String key) {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public void close() {
    client.close();
  }
}
