package org.odahu.pack.pydeps.index;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.odahu.pack.pydeps.common.Redaction;
import org.odahu.pack.pydeps.common.UrlCredentials;

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

  /** Parses {@code url}, a package source's URL; a local path becomes a {@code file:} URI. */
  public static SourceLocation parse(String url) {
    return parse(url, "The package source URL");
  }

  /**
   * Parses {@code url}; a local path becomes a {@code file:} URI.
   *
   * @param setting what {@code url} is, naming where it is set, for the message when it is not a
   *     valid URL
   * @throws PackageSourceException if {@code url} is not a valid URL; the message hides anything
   *     that may be credentials
   */
  public static SourceLocation parse(String url, String setting) {
    try {
      if (!url.contains("://")) {
        return new SourceLocation(java.nio.file.Path.of(url).toAbsolutePath().toUri(), "", "");
      }
      UrlCredentials credentials = UrlCredentials.split(url.strip());
      URI raw = new URI(credentials.address());
      boolean hostless = raw.getHost() == null && !"file".equalsIgnoreCase(raw.getScheme());
      if (!hostless && raw.getPort() <= 65535) {
        URI clean =
            new URI(
                raw.getScheme(),
                null,
                raw.getHost(),
                raw.getPort(),
                raw.getPath(),
                raw.getQuery(),
                null);
        return new SourceLocation(clean, credentials.username(), credentials.password());
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      // reported below, as a URL without a valid host is (the JDK's message repeats the URL)
    }
    throw new PackageSourceException(
        setting + " is not a valid URL: " + Redaction.malformedUrl(url));
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
      return Redaction.urls(uri.toString()); // a mistyped URL taken as a path may hold a login
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
