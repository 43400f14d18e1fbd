package org.odahu.pack.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.gppi.InvalidOptionsException.Problem;
import org.odahu.pack.server.capture.s3.S3CaptureOptions;
import org.odahu.pack.server.capture.s3.S3ObjectUploader;

/**
 * Where capture records go, from {@code --capture-dir} or {@code --capture-url}: a directory, an S3
 * bucket, or nowhere (both {@code null}); never both.
 *
 * @param directory files in ODAHU's layout under this directory, or {@code null}
 * @param s3 objects in ODAHU's layout in this bucket, or {@code null}
 */
public record CaptureTarget(Path directory, S3CaptureOptions s3) {
  public CaptureTarget {
    if (directory != null && s3 != null) {
      throw new IllegalArgumentException("records go to a directory or a bucket, not both");
    }
  }

  /**
   * The target that {@code --capture-dir}, {@code --capture-url} and the S3 settings describe;
   * {@code file:///DIR} is the same as {@code --capture-dir DIR}.
   *
   * @param directory {@code --capture-dir}, or {@code null}
   * @param url {@code --capture-url} ({@code s3://BUCKET/PREFIX} or {@code file:///DIR}), or {@code
   *     null}
   * @param s3 the S3 settings, used when {@code url} is {@code s3://}
   * @throws InvalidOptionsException naming each invalid setting by its flag, and an invalid {@code
   *     AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} by its name when no {@code --s3-endpoint}
   *     is given: found while the command line is read, not once the model is ready
   */
  public static CaptureTarget resolve(Path directory, String url, S3CaptureOptions.Builder s3) {
    return resolve(directory, url, s3, System::getenv);
  }

  /** As {@link #resolve(Path, String, S3CaptureOptions.Builder)}, reading {@code environment}. */
  static CaptureTarget resolve(
      Path directory, String url, S3CaptureOptions.Builder s3, UnaryOperator<String> environment) {
    List<Problem> problems = new ArrayList<>();
    String scheme = url == null || url.isBlank() ? null : scheme(url);
    if (!"s3".equals(scheme) && s3.hasEndpoint()) {
      problems.add(new Problem("--s3-endpoint", "needs --capture-url s3://BUCKET/PREFIX"));
    }
    if (scheme != null && directory != null) {
      problems.add(new Problem("--capture-url", "cannot be used with --capture-dir: choose one"));
    }
    CaptureTarget target = new CaptureTarget(directory, null);
    if ("s3".equals(scheme)) {
      try {
        target = new CaptureTarget(null, s3.build(url));
        if (target.s3().endpoint() == null) {
          S3ObjectUploader.checkSdkEndpoint(environment);
        }
      } catch (InvalidOptionsException e) {
        problems.addAll(e.problems());
      }
    } else if ("file".equals(scheme)) {
      try {
        target = new CaptureTarget(Path.of(new URI(url.strip())), null);
      } catch (URISyntaxException | IllegalArgumentException e) {
        problems.add(new Problem("--capture-url", "must be file:///DIRECTORY, an absolute path"));
      }
    } else if (scheme != null) {
      problems.add(new Problem("--capture-url", "must be s3://BUCKET/PREFIX or file:///DIRECTORY"));
    }
    InvalidOptionsException.throwIfAny(problems);
    return target;
  }

  /** The URL's scheme in lower case, or an empty string when it has none. */
  private static String scheme(String url) {
    int colon = url.indexOf(':');
    String scheme = colon < 0 ? "" : url.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    return scheme.matches("[a-z][a-z0-9+.-]*") ? scheme : "";
  }
}
