package org.odahu.pack.pydeps.index;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A URL of a package source split into the address and its credentials ({@code
 * https://user:secret@host/simple/}). Its text form hides the secret; the credentials go only to
 * the HTTP client, as a header for the same host.
 *
 * @param uri the address without user information
 * @param username the user name, or empty
 * @param password the password (or a token given as user name), or empty
 */
public record SourceLocation(URI uri, String username, String password) {

  /** Parses {@code url}; a local path becomes a {@code file:} URI. */
  public static SourceLocation parse(String url) {
    if (!url.contains("://")) {
      return new SourceLocation(java.nio.file.Path.of(url).toAbsolutePath().toUri(), "", "");
    }
    try {
      URI raw = new URI(url.strip());
      String userInfo = raw.getRawUserInfo();
      URI clean =
          new URI(
              raw.getScheme(),
              null,
              raw.getHost(),
              raw.getPort(),
              raw.getPath(),
              raw.getQuery(),
              null);
      if (userInfo == null) {
        return new SourceLocation(clean, "", "");
      }
      int colon = userInfo.indexOf(':');
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
      return new SourceLocation(clean, user, password);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new PackageSourceException("Not a valid source URL: " + url);
    }
  }

  private static String decode(String text) {
    return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Whether the URL carries credentials. */
  public boolean hasCredentials() {
    return !username.isEmpty() || !password.isEmpty();
  }

  /** {@code host:port}, the scope credentials apply to. */
  public String authority() {
    return authority(uri);
  }

  /** {@code host:port} of {@code uri}, the scheme's default port made explicit. */
  static String authority(URI uri) {
    int port =
        uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    return String.valueOf(uri.getHost()).toLowerCase(java.util.Locale.ROOT) + ":" + port;
  }

  /** Whether this is a local directory or file. */
  public boolean isLocal() {
    return "file".equals(uri.getScheme());
  }

  /** The address without any user information: what cache keys use. */
  public String withoutCredentials() {
    return uri.toString();
  }

  /** The address with the password (or lone token) replaced by {@code ****}. */
  @Override
  public String toString() {
    if (!hasCredentials()) {
      return uri.toString();
    }
    String shown = password.isEmpty() ? "****" : username + ":****";
    return uri.getScheme()
        + "://"
        + shown
        + "@"
        + uri.getRawAuthority()
        + Optional.ofNullable(uri.getRawPath()).orElse("");
  }
}
