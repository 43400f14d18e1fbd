package org.odahu.pack.pydeps.pep440;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PEP 440 version clause such as {@code >=1.2}, {@code ==1.4.*}, {@code ~=2.2} or {@code
 * !=1.5}.
 *
 * @param operator one of {@code ~= == != <= >= < > ===}
 * @param version the version text as written (with {@code .*} for prefix matches)
 */
public record Specifier(String operator, String version) {
  private static final Pattern CLAUSE = Pattern.compile("(~=|===|==|!=|<=|>=|<|>)\\s*(\\S+)");

  /** Checks the clause is valid PEP 440. */
  public Specifier {
    if (!operator.equals("===")) {
      boolean prefix = version.endsWith(".*");
      if (prefix && !operator.equals("==") && !operator.equals("!=")) {
        throw invalid(operator + version, "'.*' is only allowed with == and !=");
      }
      Version parsed = Version.parse(prefix ? version.substring(0, version.length() - 2) : version);
      if (parsed.hasLocal() && !operator.equals("==") && !operator.equals("!=")) {
        throw invalid(operator + version, "a local version is only allowed with == and !=");
      }
      if (operator.equals("~=") && parsed.release().size() < 2) {
        throw invalid(operator + version, "~= needs at least two release numbers");
      }
    }
  }

  /** Parses one clause such as {@code >= 1.0}. */
  public static Specifier parse(String text) {
    Matcher m = CLAUSE.matcher(text.strip());
    if (!m.matches()) {
      throw invalid(text, "expected an operator (~= == != <= >= < > ===) and a version");
    }
    return new Specifier(m.group(1), m.group(2));
  }

  private static InvalidVersionException invalid(String text, String why) {
    return new InvalidVersionException("Invalid version specifier '" + text + "': " + why);
  }

  /** Whether the clause names a pre-release, which makes pre-releases acceptable. */
  public boolean mentionsPrerelease() {
    if (operator.equals("!=") || operator.equals("===")) {
      return false;
    }
    String text = version.endsWith(".*") ? version.substring(0, version.length() - 2) : version;
    return Version.parse(text).isPrerelease();
  }

  /** Whether {@code candidate} satisfies this clause (pre-release policy aside). */
  public boolean contains(Version candidate) {
    return switch (operator) {
      case "===" -> candidate.toString().equalsIgnoreCase(version);
      case "==" -> equal(candidate);
      case "!=" -> !equal(candidate);
      case "~=" -> compatible(candidate);
      case "<=" -> candidate.publicVersion().compareTo(target()) <= 0;
      case ">=" -> candidate.publicVersion().compareTo(target()) >= 0;
      case "<" -> lessThan(candidate);
      case ">" -> greaterThan(candidate);
      default -> throw new IllegalStateException(operator);
    };
  }

  private Version target() {
    return Version.parse(version);
  }

  private boolean equal(Version candidate) {
    if (version.endsWith(".*")) {
      return prefixMatches(candidate, Version.parse(version.substring(0, version.length() - 2)));
    }
    Version spec = target();
    return (spec.hasLocal() ? candidate : candidate.publicVersion()).sameAs(spec);
  }

  /** {@code ~=2.2.1} means {@code >=2.2.1, ==2.2.*}. */
  private boolean compatible(Version candidate) {
    Version spec = target();
    List<Long> prefix = spec.release().subList(0, spec.release().size() - 1);
    Version prefixVersion = new Version(spec.epoch(), prefix, -1, -1, -1, -1, List.of());
    return candidate.publicVersion().compareTo(spec) >= 0
        && prefixMatches(candidate, prefixVersion);
  }

  private boolean lessThan(Version candidate) {
    Version spec = target();
    if (candidate.compareTo(spec) >= 0) {
      return false;
    }
    return spec.isPrerelease()
        || !candidate.isPrerelease()
        || !candidate.baseVersion().sameAs(spec.baseVersion());
  }

  private boolean greaterThan(Version candidate) {
    Version spec = target();
    if (candidate.compareTo(spec) <= 0) {
      return false;
    }
    boolean sameBase = candidate.baseVersion().sameAs(spec.baseVersion());
    if (!spec.isPostrelease() && candidate.isPostrelease() && sameBase) {
      return false;
    }
    return !(candidate.hasLocal() && sameBase);
  }

  /** Component-wise prefix match, padding the candidate's release with zeros. */
  private static boolean prefixMatches(Version candidate, Version prefix) {
    List<String> wanted = components(prefix, prefix.release().size());
    List<String> actual =
        components(
            candidate.publicVersion(),
            Math.max(candidate.release().size(), prefix.release().size()));
    return actual.size() >= wanted.size() && actual.subList(0, wanted.size()).equals(wanted);
  }

  private static List<String> components(Version version, int releaseLength) {
    List<String> parts = new ArrayList<>();
    parts.add(Long.toString(version.epoch()));
    for (int i = 0; i < releaseLength; i++) {
      parts.add(Long.toString(i < version.release().size() ? version.release().get(i) : 0));
    }
    parts.addAll(version.suffixes());
    return parts;
  }

  @Override
  public String toString() {
    return operator + version.toLowerCase(Locale.ROOT);
  }
}
