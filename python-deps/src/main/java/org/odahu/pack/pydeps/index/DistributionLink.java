package org.odahu.pack.pydeps.index;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.odahu.pack.pydeps.tags.WheelFilename;

/**
 * One file a source offers for a project (a wheel, or an sdist that is never installed).
 *
 * @param filename the file's name
 * @param url where to download it (no credentials in it)
 * @param sha256 its digest when the source gives one (hex)
 * @param requiresPython the {@code Requires-Python} the source gives, or empty
 * @param yanked the yank reason when the release is yanked (PEP 592)
 * @param metadata whether the source serves the wheel's METADATA at {@code url + ".metadata"} (PEP
 *     658)
 * @param metadataSha256 that file's digest when given
 * @param source the index or find-links location that listed it
 */
public record DistributionLink(
    String filename,
    URI url,
    Optional<String> sha256,
    String requiresPython,
    Optional<String> yanked,
    boolean metadata,
    Optional<String> metadataSha256,
    SourceLocation source) {

  /** The wheel's name parts, or empty for anything that is not a valid wheel name. */
  public Optional<WheelFilename> wheel() {
    return WheelFilename.parse(filename);
  }

  /** Whether {@code name} is one file name, with no directory part (a page may say anything). */
  public static boolean isPlainName(String name) {
    return !name.isEmpty()
        && !name.equals(".")
        && !name.equals("..")
        && name.indexOf('/') < 0
        && name.indexOf('\\') < 0
        && name.indexOf('\0') < 0;
  }

  /** Whether this is a source distribution (or another non-wheel archive). */
  public boolean isSdist() {
    String lower = filename.toLowerCase(Locale.ROOT);
    return lower.endsWith(".tar.gz")
        || lower.endsWith(".zip")
        || lower.endsWith(".tar.bz2")
        || lower.endsWith(".tar.xz")
        || lower.endsWith(".tgz")
        || lower.endsWith(".tar");
  }
}
