package org.odahu.pack.baseimages;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A Debian mirror URL split into the URL without its user and password, and those as a netrc entry
 * for debootstrap's wget ({@code https://user:password@mirror.example.com/debian}): the recipe's
 * arguments, its messages and the image's {@code sources.list} get the URL only.
 *
 * @param url the mirror without a login
 * @param netrc the netrc file's text, or {@code null} when the URL has no login
 */
record MirrorLogin(String url, String netrc) {
  static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  /** The login of {@code mirror}, split at the last {@code @} of its authority as pip does. */
  static MirrorLogin of(String mirror) {
    int scheme = mirror.indexOf("://");
    if (scheme < 0) {
      return new MirrorLogin(mirror, null);
    }
    int authorityStart = scheme + 3;
    int authorityEnd = mirror.indexOf('/', authorityStart);
    authorityEnd = authorityEnd < 0 ? mirror.length() : authorityEnd;
    String authority = mirror.substring(authorityStart, authorityEnd);
    int at = authority.lastIndexOf('@');
    if (at < 0) {
      return new MirrorLogin(mirror, null);
    }
    String hostPort = authority.substring(at + 1);
    String url = mirror.substring(0, authorityStart) + hostPort + mirror.substring(authorityEnd);
    String userInfo = authority.substring(0, at);
    int colon = userInfo.indexOf(':');
    String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
    String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    String host =
        hostPort.startsWith("[")
            ? hostPort.substring(0, hostPort.indexOf(']') + 1)
            : hostPort.replaceFirst(":[0-9]*$", "");
    return new MirrorLogin(
        url, "machine " + host + " login " + token(user) + " password " + token(password) + "\n");
  }

  /** {@code text} with the login of every URL in it taken out. */
  static String withoutLogins(String text) {
    return text.replaceAll("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s]*@", "$1");
  }

  private static String decode(String value) {
    return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** A netrc token: quoted, as wget reads quotes, when it holds white space or quotes. */
  private static String token(String value) {
    if (!value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"')) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
