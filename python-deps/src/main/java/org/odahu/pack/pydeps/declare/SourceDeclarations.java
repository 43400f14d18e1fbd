package org.odahu.pack.pydeps.declare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Package-source options written in a model's requirements files ({@code --index-url}, {@code
 * --extra-index-url}, {@code --find-links}, {@code --no-index}, {@code --trusted-host}, {@code
 * --pre}). As with pip, they add to (and an index URL replaces) the configured sources.
 *
 * @param indexUrl the main index, if a file sets one
 * @param extraIndexUrls more indexes
 * @param findLinks more find-links locations (URLs, or absolute paths inside the artifact)
 * @param noIndex whether a file says {@code --no-index}
 * @param trustedHosts hosts allowed over plain HTTP
 * @param pre whether a file says {@code --pre}
 * @param requireHashes whether a file says {@code --require-hashes}
 */
public record SourceDeclarations(
    Optional<String> indexUrl,
    List<String> extraIndexUrls,
    List<String> findLinks,
    boolean noIndex,
    List<String> trustedHosts,
    boolean pre,
    boolean requireHashes) {
  /** No options. */
  public static final SourceDeclarations NONE =
      new SourceDeclarations(
          Optional.empty(), List.of(), List.of(), false, List.of(), false, false);

  /** {@code --no-index}. */
  public static final SourceDeclarations NO_INDEX =
      new SourceDeclarations(Optional.empty(), List.of(), List.of(), true, List.of(), false, false);

  /** {@code --pre}. */
  public static final SourceDeclarations PRE =
      new SourceDeclarations(Optional.empty(), List.of(), List.of(), false, List.of(), true, false);

  /** {@code --require-hashes}. */
  public static final SourceDeclarations REQUIRE_HASHES =
      new SourceDeclarations(Optional.empty(), List.of(), List.of(), false, List.of(), false, true);

  /** {@code --index-url URL}. */
  public static SourceDeclarations index(String url) {
    return new SourceDeclarations(
        Optional.of(url), List.of(), List.of(), false, List.of(), false, false);
  }

  /** {@code --extra-index-url URL}. */
  public static SourceDeclarations extraIndex(String url) {
    return new SourceDeclarations(
        Optional.empty(), List.of(url), List.of(), false, List.of(), false, false);
  }

  /** {@code --find-links LOCATION}. */
  public static SourceDeclarations findLinks(String location) {
    return new SourceDeclarations(
        Optional.empty(), List.of(), List.of(location), false, List.of(), false, false);
  }

  /** {@code --trusted-host HOST}. */
  public static SourceDeclarations trustedHost(String host) {
    return new SourceDeclarations(
        Optional.empty(), List.of(), List.of(), false, List.of(host), false, false);
  }

  /** Copies the lists. */
  public SourceDeclarations {
    extraIndexUrls = List.copyOf(extraIndexUrls);
    findLinks = List.copyOf(findLinks);
    trustedHosts = List.copyOf(trustedHosts);
  }

  /** Both declarations; {@code later}'s index URL wins. */
  public SourceDeclarations merge(SourceDeclarations later) {
    return new SourceDeclarations(
        later.indexUrl.isPresent() ? later.indexUrl : indexUrl,
        union(extraIndexUrls, later.extraIndexUrls),
        union(findLinks, later.findLinks),
        noIndex || later.noIndex,
        union(trustedHosts, later.trustedHosts),
        pre || later.pre,
        requireHashes || later.requireHashes);
  }

  private static List<String> union(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    b.stream().filter(x -> !all.contains(x)).forEach(all::add);
    return all;
  }
}
