package org.odahu.pack.pydeps.common;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides credentials in URLs the way pip does: {@code https://user:secret@host/} becomes {@code
 * https://user:****@host/}, and a lone token ({@code https://token@host/}, or {@code
 * https://token:@host/} with an empty password) becomes {@code ****}: without a password the user
 * name is the secret, as {@code SourceLocation} and the HTTP client take it.
 */
public final class Redaction {
  private static final Pattern USER_INFO =
      Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://)([^/\\s]+)@");

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
    return out.toString();
  }
}
