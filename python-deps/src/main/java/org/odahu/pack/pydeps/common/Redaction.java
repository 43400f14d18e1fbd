package org.odahu.pack.pydeps.common;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides credentials in URLs the way pip does: {@code https://user:secret@host/} becomes {@code
 * https://user:****@host/}, and a lone token ({@code https://token@host/}, or {@code
 * https://token:@host/} with an empty password) becomes {@code ****}: without a password the user
 * name is the secret, as {@code SourceLocation} and the HTTP client take it. A {@code user:secret@}
 * without a scheme before it (a mistyped {@code http//user:secret@host/}, or such a URL taken as a
 * local path) is hidden too.
 */
public final class Redaction {
  /**
   * A URL's user information: up to the last {@code @} before the path, as pip splits it; it may
   * hold spaces, though not right before the {@code @} ({@code name @ url} is no login).
   */
  private static final Pattern USER_INFO =
      Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://)([^/\\s]+(?:[ \\t]+[^/\\s]+)*)@");

  /** {@code user:password@} anywhere else; not an image's {@code name:tag@sha256:…}. */
  private static final Pattern BARE_USER_INFO =
      Pattern.compile("([^\\s/:@]+):([^\\s/]*)@(?![a-zA-Z][a-zA-Z0-9_+.-]*:[0-9a-fA-F]{32,})");

  /** What may start a malformed URL before its user information: a scheme, slashes. */
  private static final Pattern SCHEME = Pattern.compile("\\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:?)?/*");

  private Redaction() {}

  /** {@code text} with the user information of every URL in it redacted. */
  public static String urls(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = USER_INFO.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String userInfo = m.group(2);
      int colon = userInfo.indexOf(':');
      String redacted =
          colon < 0 || colon == userInfo.length() - 1
              ? "****"
              : userInfo.substring(0, colon) + ":****";
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + redacted + "@"));
    }
    m.appendTail(out);
    return BARE_USER_INFO.matcher(out).replaceAll("$1:****@");
  }

  /**
   * {@code value}, a URL that could not be parsed, with everything between its scheme and its last
   * {@code @} hidden: where its user information ends is not known.
   */
  public static String malformedUrl(String value) {
    int at = value.lastIndexOf('@');
    if (at < 0) {
      return urls(value);
    }
    Matcher scheme = SCHEME.matcher(value);
    int start = scheme.lookingAt() ? scheme.end() : 0;
    return value.substring(0, start) + "****" + value.substring(at);
  }
}
