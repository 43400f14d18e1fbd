package org.odahu.pack.baseimages;

import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.pydeps.common.UrlCredentials;

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
    UrlCredentials login;
    try {
      login = UrlCredentials.split(mirror);
    } catch (IllegalArgumentException e) {
      throw new PackagingException("The Debian mirror's URL: " + e.getMessage());
    }
    if (!login.present()) {
      return new MirrorLogin(mirror, null);
    }
    String address = login.address();
    int hostStart = address.indexOf("://") + 3;
    int hostEnd = address.indexOf('/', hostStart);
    String hostPort = address.substring(hostStart, hostEnd < 0 ? address.length() : hostEnd);
    String host =
        hostPort.startsWith("[")
            ? hostPort.substring(0, hostPort.indexOf(']') + 1)
            : hostPort.replaceFirst(":[0-9]*$", "");
    return new MirrorLogin(
        address,
        "machine "
            + host
            + " login "
            + token(login.username())
            + " password "
            + token(login.password())
            + "\n");
  }

  /** {@code text} with the login of every URL in it taken out. */
  static String withoutLogins(String text) {
    return text.replaceAll("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s]*@", "$1");
  }

  /** A netrc token: quoted, as wget reads quotes, when it holds white space or quotes. */
  private static String token(String value) {
    if (!value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"')) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
