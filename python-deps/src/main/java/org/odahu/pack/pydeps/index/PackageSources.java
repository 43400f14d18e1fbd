package org.odahu.pack.pydeps.index;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.odahu.pack.pydeps.declare.SourceDeclarations;

/**
 * Where wheels come from, following pip's conventions: one main index, extra indexes, find-links
 * locations, hosts trusted over plain HTTP; or only a local wheelhouse, for offline builds. Built
 * at the edge (see {@link PipConfiguration}) and passed in; credentials may be in the URLs or in a
 * {@code .netrc}, and never appear in {@link #toString()}.
 *
 * @param indexUrl the main PEP 503 index
 * @param extraIndexUrls more indexes, searched too (as pip does: candidates are merged)
 * @param findLinks directories or pages of links to wheels
 * @param trustedHosts hosts allowed over plain HTTP or with an unverified certificate
 * @param noIndex whether to use no index at all (find-links and the wheelhouse only)
 * @param wheelhouse a directory of wheels; when set, nothing else is used
 * @param netrc a {@code .netrc} file for credentials, if any
 * @param timeout connect and read timeout of each request
 * @param proxies the HTTP proxies sources are reached through
 * @param certificates authorities trusted besides the JDK's (pip's {@code cert}), if any
 */
public record PackageSources(
    String indexUrl,
    List<String> extraIndexUrls,
    List<String> findLinks,
    List<String> trustedHosts,
    boolean noIndex,
    Optional<Path> wheelhouse,
    Optional<Path> netrc,
    Duration timeout,
    Proxies proxies,
    Optional<CertificateBundle> certificates) {

  private static final String INDEX_URL =
      "The index URL (pipIndexUrl, PIP_INDEX_URL, pip.conf's index-url or a requirements file's"
          + " --index-url)";
  private static final String EXTRA_INDEX_URL =
      "An extra index URL (pipExtraIndexUrls, PIP_EXTRA_INDEX_URL, pip.conf's extra-index-url or"
          + " a requirements file's --extra-index-url)";
  private static final String FIND_LINKS =
      "A find-links location (pipFindLinks, PIP_FIND_LINKS, pip.conf's find-links or a"
          + " requirements file's --find-links)";

  /** pip's default index. */
  public static final String PYPI = "https://pypi.org/simple";

  /** Copies the lists. */
  public PackageSources {
    extraIndexUrls = List.copyOf(extraIndexUrls);
    findLinks = List.copyOf(findLinks);
    trustedHosts = List.copyOf(trustedHosts);
  }

  /** Only the main index {@code url}. */
  public static PackageSources index(String url) {
    return new PackageSources(
        url,
        List.of(),
        List.of(),
        List.of(),
        false,
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(30),
        Proxies.NONE,
        Optional.empty());
  }

  /** Only the wheels in {@code directory}: an offline build. */
  public static PackageSources wheelhouse(Path directory) {
    return new PackageSources(
        PYPI,
        List.of(),
        List.of(),
        List.of(),
        true,
        Optional.of(directory),
        Optional.empty(),
        Duration.ofSeconds(30),
        Proxies.NONE,
        Optional.empty());
  }

  /** These sources with another main index (a packaging's {@code pipIndexUrl}). */
  public PackageSources withIndexUrl(String url) {
    return new PackageSources(
        url,
        extraIndexUrls,
        findLinks,
        trustedHosts,
        noIndex,
        wheelhouse,
        netrc,
        timeout,
        proxies,
        certificates);
  }

  /** These sources with more find-links locations (a packaging's {@code pipFindLinks}). */
  public PackageSources withFindLinks(List<String> locations) {
    return new PackageSources(
        indexUrl,
        extraIndexUrls,
        union(findLinks, locations),
        trustedHosts,
        noIndex,
        wheelhouse,
        netrc,
        timeout,
        proxies,
        certificates);
  }

  /** These sources with more extra indexes. */
  public PackageSources withExtraIndexUrls(List<String> urls) {
    List<String> all = new ArrayList<>(extraIndexUrls);
    urls.stream().filter(u -> !all.contains(u)).forEach(all::add);
    return new PackageSources(
        indexUrl,
        all,
        findLinks,
        trustedHosts,
        noIndex,
        wheelhouse,
        netrc,
        timeout,
        proxies,
        certificates);
  }

  /**
   * These sources with a model's own options applied, as pip applies a requirements file's: its
   * {@code --index-url} replaces the main index, the rest adds up. With a wheelhouse, only local
   * find-links are added.
   */
  public PackageSources with(SourceDeclarations declared) {
    return new PackageSources(
        declared.indexUrl().orElse(indexUrl),
        union(extraIndexUrls, declared.extraIndexUrls()),
        union(findLinks, declared.findLinks()),
        union(trustedHosts, declared.trustedHosts()),
        noIndex || declared.noIndex(),
        wheelhouse,
        netrc,
        timeout,
        proxies,
        certificates);
  }

  private static List<String> union(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    b.stream().filter(x -> !all.contains(x)).forEach(all::add);
    return all;
  }

  /** The indexes to search, main first (none with {@code noIndex}). */
  public List<SourceLocation> indexes() {
    List<SourceLocation> indexes = new ArrayList<>();
    if (!noIndex) {
      indexes.add(SourceLocation.parse(indexUrl, INDEX_URL));
      extraIndexUrls.forEach(url -> indexes.add(SourceLocation.parse(url, EXTRA_INDEX_URL)));
    }
    return indexes;
  }

  /** The find-links locations, the wheelhouse first. */
  public List<SourceLocation> links() {
    List<SourceLocation> links = new ArrayList<>();
    wheelhouse.ifPresent(directory -> links.add(SourceLocation.parse(directory.toString())));
    findLinks.stream()
        .filter(location -> wheelhouse.isEmpty() || !location.contains("://"))
        .forEach(location -> links.add(SourceLocation.parse(location, FIND_LINKS)));
    return links;
  }

  /**
   * Every location without credentials, in order, a local directory as {@code (local)} (its files
   * are keyed by content, not by where an artifact happened to be extracted): what a cache key may
   * hold.
   */
  public List<String> fingerprint() {
    List<String> all = new ArrayList<>();
    indexes().forEach(location -> all.add("index " + location.withoutCredentials()));
    links()
        .forEach(
            location ->
                all.add(
                    "links " + (location.isLocal() ? "(local)" : location.withoutCredentials())));
    return all;
  }

  /** The locations with credentials redacted. */
  @Override
  public String toString() {
    List<String> all = new ArrayList<>();
    indexes().forEach(location -> all.add(location.toString()));
    links().forEach(location -> all.add(location.toString()));
    return String.join(", ", all);
  }
}
