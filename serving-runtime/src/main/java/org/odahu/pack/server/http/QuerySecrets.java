package org.odahu.pack.server.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Request targets and URLs as logs and capture records may keep them: the user information of an
 * absolute URL ({@code http://user:password@host/}) dropped, and the values of parameters that
 * carry credentials ({@code ?token=…}, {@code ;jsessionid=…}, a presigned URL's {@code
 * X-Amz-Signature}) replaced by {@code ****}, as {@code Authorization} headers are dropped.
 *
 * <p>A parameter carries a credential when its name, percent-decoded, lower-cased and without its
 * other characters than letters and digits, is {@code key}, {@code sig}, {@code pwd}, {@code auth},
 * {@code authorization} or {@code bearer}, ends with {@code token} ({@code api_token}, {@code
 * accessToken}, but not {@code max_tokens} or {@code tokenizer}), or contains {@code secret},
 * {@code password}, {@code passwd}, {@code passphrase}, {@code apikey}, {@code privatekey}, {@code
 * signature}, {@code credential}, {@code jwt}, {@code sessionid} or {@code sessid}. Ordinary names
 * that merely contain {@code key} ({@code keyword}, {@code sort_key}) are kept.
 */
final class QuerySecrets {
  /** Normalized names that are credentials' only as a whole. */
  private static final Set<String> EXACT =
      Set.of("key", "sig", "pwd", "auth", "authorization", "bearer");

  /** Parts of normalized names that make them credentials' wherever they are. */
  private static final List<String> PARTS =
      List.of(
          "secret",
          "password",
          "passwd",
          "passphrase",
          "apikey",
          "privatekey",
          "signature",
          "credential",
          "jwt",
          "sessionid",
          "sessid");

  private QuerySecrets() {}

  /**
   * {@code target} (a request target or a URL) without user information and with the values of
   * credential parameters replaced, in its path ({@code ;name=value}), query and fragment.
   */
  static String redact(String target) {
    if (!containsAny(target, "?;#@")) {
      return target; // the prediction routes' usual target: nothing to do
    }
    StringBuilder redacted = new StringBuilder(target.length());
    int i = appendOrigin(target, redacted);
    char part = '/'; // in the path, then '?' in the query, then '#' in the fragment
    while (i < target.length()) {
      char c = target.charAt(i);
      redacted.append(c);
      i++;
      if ((c == '?' && part == '/') || (c == '#' && part != '#')) {
        part = c;
        i = appendParameter(target, i, part, redacted);
      } else if (c == ';' || (c == '&' && part != '/')) {
        i = appendParameter(target, i, part, redacted);
      }
    }
    return redacted.toString();
  }

  /**
   * Appends the scheme and authority of an absolute URL without its user information, split as
   * browsers and pip split it (at the last {@code @} before the path); returns where its path
   * starts, 0 for anything else.
   */
  private static int appendOrigin(String target, StringBuilder out) {
    int scheme = target.indexOf("://");
    if (scheme <= 0 || !isScheme(target.substring(0, scheme))) {
      return 0;
    }
    int authority = scheme + 3;
    int end = authority;
    while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
      end++;
    }
    int at = target.lastIndexOf('@', end - 1);
    out.append(target, 0, authority).append(target, Math.max(at + 1, authority), end);
    return end;
  }

  private static boolean isScheme(String text) {
    return Character.isLetter(text.charAt(0))
        && text.chars()
            .allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || "+-.".indexOf(c) >= 0));
  }

  /**
   * Appends the parameter starting at {@code start}, its value replaced if it is a credential;
   * returns where it ends.
   */
  private static int appendParameter(String target, int start, char part, StringBuilder out) {
    String ends = part == '/' ? ";/?#" : part == '?' ? "&;#" : "&;";
    int end = start;
    while (end < target.length() && ends.indexOf(target.charAt(end)) < 0) {
      end++;
    }
    int equals = target.indexOf('=', start);
    if (equals >= 0 && equals < end && isSecret(target.substring(start, equals))) {
      out.append(target, start, equals + 1).append("****");
    } else {
      out.append(target, start, end);
    }
    return end;
  }

  private static boolean isSecret(String name) {
    StringBuilder plain = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      int high = c == '%' && i + 2 < name.length() ? Character.digit(name.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(name.charAt(i + 2), 16);
      if (low >= 0) {
        c = (char) (high * 16 + low);
        i += 2;
      }
      if (Character.isLetterOrDigit(c)) {
        plain.append(c);
      }
    }
    String normalized = plain.toString().toLowerCase(Locale.ROOT);
    return EXACT.contains(normalized)
        || normalized.endsWith("token")
        || PARTS.stream().anyMatch(normalized::contains);
  }

  private static boolean containsAny(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}
