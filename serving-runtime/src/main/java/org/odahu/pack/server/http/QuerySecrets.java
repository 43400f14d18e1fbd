package org.odahu.pack.server.http;

import java.util.Locale;
import java.util.Set;

/**
 * Request targets as logs and capture records may keep them: the values of query parameters that
 * carry credentials ({@code ?token=…}, {@code api_key}, a presigned URL's {@code X-Amz-Signature})
 * replaced by {@code ****}, as {@code Authorization} headers are dropped.
 */
final class QuerySecrets {
  /** Parameter names, lower case, whose values are credentials. */
  private static final Set<String> SECRET =
      Set.of(
          "token",
          "access_token",
          "id_token",
          "refresh_token",
          "jwt",
          "auth",
          "authorization",
          "api_key",
          "apikey",
          "api-key",
          "key",
          "password",
          "passwd",
          "pwd",
          "secret",
          "client_secret",
          "sig",
          "signature",
          "x-amz-signature",
          "x-amz-credential",
          "x-amz-security-token",
          "x-goog-signature",
          "x-goog-credential");

  private QuerySecrets() {}

  /** {@code target} with the values of credential parameters in its query replaced. */
  static String redact(String target) {
    int query = target.indexOf('?');
    if (query < 0) {
      return target; // the prediction routes' usual target: nothing to do
    }
    StringBuilder redacted = new StringBuilder(target.length()).append(target, 0, query + 1);
    int fragment = target.indexOf('#', query);
    int end = fragment < 0 ? target.length() : fragment;
    int start = query + 1;
    while (start <= end) {
      int next = target.indexOf('&', start);
      if (next < 0 || next > end) {
        next = end;
      }
      int equals = target.indexOf('=', start);
      if (equals >= 0 && equals < next && isSecret(target.substring(start, equals))) {
        redacted.append(target, start, equals + 1).append("****");
      } else {
        redacted.append(target, start, next);
      }
      if (next < end) {
        redacted.append('&');
      }
      start = next + 1;
    }
    return redacted.append(target, end, target.length()).toString();
  }

  private static boolean isSecret(String name) {
    String plain = name.replace("%5F", "_").replace("%5f", "_").replace("%2D", "-");
    return SECRET.contains(plain.toLowerCase(Locale.ROOT));
  }
}
