package org.odahu.pack.batch;

/** JSON's number grammar, for text that becomes a JSON value. */
final class JsonNumbers {
  private JsonNumbers() {}

  /**
   * Whether {@code text} is exactly a JSON number: {@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}.
   */
  static boolean isNumber(CharSequence text) {
    int n = text.length();
    int i = 0;
    if (i < n && text.charAt(i) == '-') {
      i++;
    }
    if (i >= n) {
      return false;
    }
    if (text.charAt(i) == '0') {
      i++;
    } else {
      int digits = digits(text, i);
      if (digits == 0) {
        return false;
      }
      i += digits;
    }
    if (i < n && text.charAt(i) == '.') {
      int digits = digits(text, i + 1);
      if (digits == 0) {
        return false;
      }
      i += 1 + digits;
    }
    if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      i++;
      if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
        i++;
      }
      int digits = digits(text, i);
      if (digits == 0) {
        return false;
      }
      i += digits;
    }
    return i == n;
  }

  private static int digits(CharSequence text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    return i - from;
  }
}
