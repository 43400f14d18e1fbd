package org.odahu.pack.server.capture.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.gppi.InvalidOptionsException.Problem;

/**
 * Capture to S3 or an S3-compatible store: where, and how records are gathered into objects.
 * Credentials and region are not here: they come from the AWS SDK's default chains.
 *
 * @param location the bucket and key prefix ({@code --capture-url s3://BUCKET/PREFIX})
 * @param endpoint an S3-compatible store (MinIO, Ceph...), reached path-style; {@code null} for AWS
 * @param objectBytes an object is uploaded once it holds this many bytes of records
 * @param objectAge an object is uploaded once its first record is this old
 * @param bufferBytes bytes of records held until uploaded, retries included; beyond it new records
 *     are dropped and counted
 * @param retry how failed uploads are tried again
 * @param closeWait how long shutting down waits for the last uploads
 */
public record S3CaptureOptions(
    S3Location location,
    URI endpoint,
    long objectBytes,
    Duration objectAge,
    long bufferBytes,
    Backoff retry,
    Duration closeWait) {

  /** Bytes that make an object full unless set: 5 MiB. */
  public static final long DEFAULT_OBJECT_BYTES = 5L << 20;

  /** Seconds after which an object is uploaded, full or not, unless set. */
  public static final long DEFAULT_OBJECT_AGE_SECONDS = 60;

  /** Bytes of records that may wait for upload unless set: 64 MiB. */
  public static final long DEFAULT_BUFFER_BYTES = 64L << 20;

  /**
   * The largest object: 512 MiB. An object is gathered in memory, in one array, before its upload
   * (S3 takes up to 5 GiB in one PUT).
   */
  public static final long MAX_OBJECT_BYTES = 512L << 20;

  /** How long shutting down waits for uploads: within the 30 s the capture writer waits. */
  public static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(20);

  /**
   * Checks every setting and reports all problems at once, each by its {@code serve} flag.
   *
   * @throws InvalidOptionsException when a setting is invalid
   */
  public S3CaptureOptions {
    List<Problem> problems = new ArrayList<>();
    if (location == null) {
      problems.add(new Problem("--capture-url", "must be s3://BUCKET/PREFIX"));
    }
    if (endpoint != null) {
      String problem = endpointProblem(endpoint);
      if (problem != null) {
        problems.add(new Problem("--s3-endpoint", problem));
      }
    }
    if (objectBytes < 1 || objectBytes > MAX_OBJECT_BYTES) {
      problems.add(
          new Problem(
              "--capture-object-size",
              "must be between 1 and " + MAX_OBJECT_BYTES + " bytes, got " + objectBytes));
    }
    if (objectAge == null || objectAge.isNegative() || objectAge.isZero()) {
      problems.add(new Problem("--capture-object-age", "must be positive, got " + objectAge));
    }
    if (bufferBytes < objectBytes) {
      problems.add(
          new Problem(
              "--capture-buffer-size",
              "must be at least --capture-object-size ("
                  + objectBytes
                  + " bytes), got "
                  + bufferBytes));
    }
    if (retry == null) {
      problems.add(new Problem("retry", "must be set"));
    }
    if (closeWait == null || closeWait.isNegative()) {
      problems.add(new Problem("closeWait", "must not be negative, got " + closeWait));
    }
    InvalidOptionsException.throwIfAny(problems);
  }

  /** Why a URL with a login is refused: credentials come from the AWS SDK's default chain. */
  static final String CREDENTIALS_IN_URL =
      "must not contain credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
          + " AWS_PROFILE, instead";

  /** Why an endpoint that is no http(s) URL with a host is refused. */
  static final String NOT_AN_ENDPOINT =
      "must be an http:// or https:// URL with a host, e.g. http://minio:9000";

  /** What is wrong with an endpoint, without repeating it (it could hold credentials). */
  static String endpointProblem(URI endpoint) {
    String scheme = endpoint.getScheme();
    if (scheme == null
        || !List.of("http", "https").contains(scheme.toLowerCase(Locale.ROOT))
        || endpoint.getHost() == null) {
      return NOT_AN_ENDPOINT;
    }
    if (endpoint.getRawUserInfo() != null) {
      return CREDENTIALS_IN_URL;
    }
    if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
      return "must not have a query or fragment";
    }
    return null;
  }

  /** A builder with the {@code DEFAULT_*} settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link S3CaptureOptions}; {@link #build} validates every setting at once. */
  public static final class Builder {
    private String endpoint;
    private long objectBytes = DEFAULT_OBJECT_BYTES;
    private Duration objectAge = Duration.ofSeconds(DEFAULT_OBJECT_AGE_SECONDS);
    private long bufferBytes = DEFAULT_BUFFER_BYTES;
    private Backoff retry = Backoff.DEFAULT;
    private Duration closeWait = DEFAULT_CLOSE_WAIT;

    private Builder() {}

    /** The S3-compatible store's URL; {@code null} or blank for AWS itself. */
    public Builder endpoint(String endpoint) {
      this.endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint.strip();
      return this;
    }

    /** Whether an endpoint was set. */
    public boolean hasEndpoint() {
      return endpoint != null;
    }

    public Builder objectBytes(long objectBytes) {
      this.objectBytes = objectBytes;
      return this;
    }

    public Builder objectAge(Duration objectAge) {
      this.objectAge = objectAge;
      return this;
    }

    public Builder bufferBytes(long bufferBytes) {
      this.bufferBytes = bufferBytes;
      return this;
    }

    public Builder retry(Backoff retry) {
      this.retry = retry;
      return this;
    }

    public Builder closeWait(Duration closeWait) {
      this.closeWait = closeWait;
      return this;
    }

    /**
     * The options for {@code url} ({@code s3://BUCKET/PREFIX}); every invalid setting is reported
     * at once by its flag.
     *
     * @throws InvalidOptionsException when a setting is invalid
     */
    public S3CaptureOptions build(String url) {
      List<Problem> problems = new ArrayList<>();
      S3Location location = null;
      try {
        location = S3Location.parse(url);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem("--capture-url", e.getMessage()));
      }
      URI endpointUri = null;
      if (endpoint != null) {
        try {
          endpointUri = new URI(endpoint);
        } catch (URISyntaxException e) {
          problems.add(new Problem("--s3-endpoint", "is not a URL: " + e.getReason()));
        }
      }
      S3CaptureOptions options = null;
      try {
        options =
            new S3CaptureOptions(
                location != null ? location : new S3Location("bucket", ""),
                endpointUri,
                objectBytes,
                objectAge,
                bufferBytes,
                retry,
                closeWait);
      } catch (InvalidOptionsException e) {
        problems.addAll(e.problems());
      }
      InvalidOptionsException.throwIfAny(problems);
      return options;
    }
  }
}
