package org.odahu.pack.pydeps.common;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A URL's user name and password split from it as pip and requests split them: the user information
 * ends at the last {@code @} before the path, query or fragment, so a password may hold an
 * unencoded {@code @} (or a space).
 *
 * @param address the URL without its user information
 * @param username the percent-decoded user name, or empty
 * @param password the percent-decoded password, or empty
 */
public record UrlCredentials(String address, String username, String password) {

  /**
   * Splits {@code url}; text without {@code ://} has no credentials.
   *
   * @throws IllegalArgumentException if the user information holds a bad percent-escape (the
   *     message does not repeat it)
   */
  public static UrlCredentials split(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return new UrlCredentials(url, "", "");
    }
    int authority = scheme + 3;
    int end = authority;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    int at = url.lastIndexOf('@', end - 1);
    if (at < authority) {
      return new UrlCredentials(url, "", "");
    }
    String userInfo = url.substring(authority, at);
    String address = url.substring(0, authority) + url.substring(at + 1);
    int colon = userInfo.indexOf(':');
    return new UrlCredentials(
        address,
        decode(colon < 0 ? userInfo : userInfo.substring(0, colon)),
        colon < 0 ? "" : decode(userInfo.substring(colon + 1)));
  }

  /** Whether the URL carried a user name or a password. */
  public boolean present() {
    return !username.isEmpty() || !password.isEmpty();
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the user information holds a bad percent-escape");
    }
  }
}
