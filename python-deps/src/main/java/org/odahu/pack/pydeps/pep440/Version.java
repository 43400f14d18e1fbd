package org.odahu.pack.pydeps.pep440;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version, normalised ({@code 1.0-RC.1} is {@code 1.0rc1}) and ordered as PEP 440 says:
 * {@code 1.0.dev0 < 1.0a1 < 1.0b2 < 1.0rc1 < 1.0 < 1.0+local < 1.0.post1}.
 *
 * @param epoch the epoch ({@code N!}), 0 when absent
 * @param release the release numbers, never empty
 * @param preKind 0 for alpha, 1 for beta, 2 for release candidate, -1 for none
 * @param pre the pre-release number, or -1
 * @param post the post-release number, or -1
 * @param dev the development-release number, or -1
 * @param local the local segments ({@code +ubuntu.1} gives [ubuntu, 1]), lower case
 */
public record Version(
    long epoch, List<Long> release, int preKind, long pre, long post, long dev, List<String> local)
    implements Comparable<Version> {

  private static final Pattern PATTERN =
      Pattern.compile(
          "v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
              + "(?<pre>[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?"
              + "(?<post>-(?<postn1>[0-9]+)|[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?)?"
              + "(?<dev>[-_.]?dev[-_.]?(?<devn>[0-9]+)?)?"
              + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
          Pattern.CASE_INSENSITIVE);
  private static final String[] PRE_NAMES = {"a", "b", "rc"};

  /** Checks the parts. */
  public Version {
    release = List.copyOf(release);
    local = List.copyOf(local);
    if (release.isEmpty()) {
      throw new InvalidVersionException("A version needs a release number");
    }
  }

  /** Parses {@code text}, or throws {@link InvalidVersionException}. */
  public static Version parse(String text) {
    return tryParse(text)
        .orElseThrow(() -> new InvalidVersionException("Not a PEP 440 version: '" + text + "'"));
  }

  /** Parses {@code text}, or empty when it is not a PEP 440 version. */
  public static Optional<Version> tryParse(String text) {
    Matcher m = PATTERN.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      List<Long> release = new ArrayList<>();
      for (String part : m.group("release").split("\\.", -1)) {
        release.add(Long.parseLong(part));
      }
      int preKind = m.group("pre") == null ? -1 : preKind(m.group("prel"));
      long pre = m.group("pre") == null ? -1 : number(m.group("pren"));
      long post = -1;
      if (m.group("post") != null) {
        post = number(m.group("postn1") != null ? m.group("postn1") : m.group("postn2"));
      }
      long dev = m.group("dev") == null ? -1 : number(m.group("devn"));
      List<String> local =
          m.group("local") == null
              ? List.of()
              : List.of(m.group("local").toLowerCase(Locale.ROOT).split("[-_.]"));
      long epoch = m.group("epoch") == null ? 0 : Long.parseLong(m.group("epoch"));
      return Optional.of(new Version(epoch, release, preKind, pre, post, dev, local));
    } catch (NumberFormatException tooLarge) {
      return Optional.empty();
    }
  }

  private static int preKind(String label) {
    return switch (label.toLowerCase(Locale.ROOT)) {
      case "a", "alpha" -> 0;
      case "b", "beta" -> 1;
      default -> 2; // rc, c, pre, preview
    };
  }

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }

  /** Whether this is a pre-release or a development release. */
  public boolean isPrerelease() {
    return preKind >= 0 || dev >= 0;
  }

  /** Whether this is a post-release. */
  public boolean isPostrelease() {
    return post >= 0;
  }

  /** Whether this has a local segment ({@code +...}). */
  public boolean hasLocal() {
    return !local.isEmpty();
  }

  /** This version without its local segment. */
  public Version publicVersion() {
    return local.isEmpty() ? this : new Version(epoch, release, preKind, pre, post, dev, List.of());
  }

  /** The epoch and release only ({@code 1!2.0rc1.post3} gives {@code 1!2.0}). */
  public Version baseVersion() {
    return new Version(epoch, release, -1, -1, -1, -1, List.of());
  }

  /** The suffixes in normalised form, e.g. [rc1, post2, dev0], for prefix matching. */
  List<String> suffixes() {
    List<String> suffixes = new ArrayList<>();
    if (preKind >= 0) {
      suffixes.add(PRE_NAMES[preKind] + pre);
    }
    if (post >= 0) {
      suffixes.add("post" + post);
    }
    if (dev >= 0) {
      suffixes.add("dev" + dev);
    }
    return suffixes;
  }

  @Override
  public int compareTo(Version other) {
    int c = Long.compare(epoch, other.epoch);
    if (c == 0) {
      c = compareRelease(release, other.release);
    }
    if (c == 0) {
      c = Long.compare(preKey(), other.preKey());
    }
    if (c == 0) {
      c = Long.compare(post, other.post); // -1 (none) sorts first
    }
    if (c == 0) {
      c = Long.compare(dev < 0 ? Long.MAX_VALUE : dev, other.dev < 0 ? Long.MAX_VALUE : other.dev);
    }
    return c != 0 ? c : compareLocal(local, other.local);
  }

  /** Orders pre-releases: a dev release of a final sorts before its alphas; a final after all. */
  private long preKey() {
    if (preKind < 0) {
      return post < 0 && dev >= 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return preKind * (1L << 60) + pre;
  }

  private static int compareRelease(List<Long> a, List<Long> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      int c = Long.compare(i < a.size() ? a.get(i) : 0, i < b.size() ? b.get(i) : 0);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Local segments: none sorts first; a numeric segment sorts after an alphanumeric one. */
  private static int compareLocal(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      boolean aNumber = a.get(i).chars().allMatch(Character::isDigit);
      boolean bNumber = b.get(i).chars().allMatch(Character::isDigit);
      int c;
      if (aNumber && bNumber) {
        c = new java.math.BigInteger(a.get(i)).compareTo(new java.math.BigInteger(b.get(i)));
      } else if (aNumber != bNumber) {
        c = aNumber ? 1 : -1;
      } else {
        c = a.get(i).compareTo(b.get(i));
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** PEP 440 equality: {@code 1.0 == 1.0.0}. */
  public boolean sameAs(Version other) {
    return compareTo(other) == 0;
  }

  /** The normalised text. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    if (epoch != 0) {
      text.append(epoch).append('!');
    }
    for (int i = 0; i < release.size(); i++) {
      text.append(i == 0 ? "" : ".").append(release.get(i));
    }
    if (preKind >= 0) {
      text.append(PRE_NAMES[preKind]).append(pre);
    }
    if (post >= 0) {
      text.append(".post").append(post);
    }
    if (dev >= 0) {
      text.append(".dev").append(dev);
    }
    if (!local.isEmpty()) {
      text.append('+').append(String.join(".", local));
    }
    return text.toString();
  }
}
