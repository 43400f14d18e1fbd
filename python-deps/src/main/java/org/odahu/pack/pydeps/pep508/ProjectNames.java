package org.odahu.pack.pydeps.pep508;

import java.util.Locale;
import java.util.regex.Pattern;

/** PEP 503 name normalisation: {@code Foo.Bar_baz} and {@code foo-bar-baz} are one project. */
public final class ProjectNames {
  private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");

  private ProjectNames() {}

  /** The normalised name: lower case, runs of {@code - _ .} replaced by one {@code -}. */
  public static String normalize(String name) {
    return SEPARATORS.matcher(name.strip()).replaceAll("-").toLowerCase(Locale.ROOT);
  }

  /** Whether {@code name} is a valid project name. */
  public static boolean isValid(String name) {
    return VALID.matcher(name).matches();
  }
}
