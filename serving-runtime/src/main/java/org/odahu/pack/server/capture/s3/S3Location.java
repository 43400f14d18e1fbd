package org.odahu.pack.server.capture.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A bucket and a key prefix, as in {@code s3://BUCKET/PREFIX}. Never carries credentials: a URL
 * with user information is refused (without being echoed), because they come from the AWS SDK's
 * default chain.
 *
 * @param bucket the bucket
 * @param prefix the key prefix without leading or trailing {@code /}; empty for the bucket's root
 */
public record S3Location(String bucket, String prefix) {
  /** Names S3 and S3-compatible stores accept, legacy ones (upper case, '_') included. */
  private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,254}");

  public S3Location {
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("needs a bucket name, as in s3://BUCKET/PREFIX");
    }
    if (!BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException(
          "names no valid bucket: a bucket's name is 2 to 255 letters, digits, '.', '-' and '_',"
              + " starting with a letter or digit (S3 itself takes 3 to 63 lower-case ones)");
    }
    prefix = trimSlashes(prefix == null ? "" : prefix);
  }

  /**
   * Parses {@code s3://BUCKET[/PREFIX]}.
   *
   * @throws IllegalArgumentException saying what is wrong, without repeating the URL
   */
  public static S3Location parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL: " + e.getReason(), e);
    }
    if (!"s3".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("must start with s3://");
    }
    String authority = uri.getRawAuthority();
    if (authority != null && authority.contains("@")) {
      throw new IllegalArgumentException(S3CaptureOptions.CREDENTIALS_IN_URL);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("must be s3://BUCKET/PREFIX, without ? or #");
    }
    return new S3Location(authority, uri.getPath());
  }

  /** The key of {@code relative} below the prefix. */
  public String key(String relative) {
    return prefix.isEmpty() ? relative : prefix + "/" + relative;
  }

  /** {@code s3://BUCKET/PREFIX/}. */
  @Override
  public String toString() {
    return "s3://" + bucket + "/" + (prefix.isEmpty() ? "" : prefix + "/");
  }

  private static String trimSlashes(String path) {
    int start = 0;
    int end = path.length();
    while (start < end && path.charAt(start) == '/') {
      start++;
    }
    while (end > start && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(start, end);
  }
}
