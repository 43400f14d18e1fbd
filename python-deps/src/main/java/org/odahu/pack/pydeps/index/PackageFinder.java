package org.odahu.pack.pydeps.index;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.odahu.pack.artifact.files.FileErrors;
import org.odahu.pack.pydeps.pep508.ProjectNames;

/**
 * Finds the files every source offers for a project (each index's {@code <index>/<name>/} page,
 * find-links directories and pages, the wheelhouse), and fetches wheels and their metadata. Pages
 * are fetched once per finder.
 */
public final class PackageFinder {
  private static final String ACCEPT =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

  private final PackageSources sources;
  private final HttpFetcher http;
  private final Map<String, List<DistributionLink>> projects = new HashMap<>();
  private List<DistributionLink> flatLinks;

  /** A finder over {@code sources}. */
  public PackageFinder(PackageSources sources) {
    this.sources = sources;
    List<SourceLocation> all = new ArrayList<>(sources.indexes());
    all.addAll(sources.links());
    Netrc netrc = sources.netrc().map(Netrc::read).orElse(Netrc.empty());
    this.http =
        new HttpFetcher(
            all,
            new HashSet<>(sources.trustedHosts()),
            netrc,
            sources.timeout(),
            sources.proxies(),
            sources.certificates());
  }

  /** The sources this finder searches. */
  public PackageSources sources() {
    return sources;
  }

  /** Every file offered for project {@code name} by any source, in source order. */
  public synchronized List<DistributionLink> find(String name) {
    String project = ProjectNames.normalize(name);
    List<DistributionLink> cached = projects.get(project);
    if (cached != null) {
      return cached;
    }
    List<DistributionLink> links = new ArrayList<>();
    for (SourceLocation index : sources.indexes()) {
      links.addAll(fromIndex(index, project));
    }
    for (DistributionLink link : flatLinks()) {
      if (belongsTo(link.filename(), project)) {
        links.add(link);
      }
    }
    projects.put(project, List.copyOf(links));
    return projects.get(project);
  }

  private List<DistributionLink> fromIndex(SourceLocation index, String project) {
    if (index.isLocal()) {
      return fromLocalIndex(index, project);
    }
    String base = index.uri().toString();
    URI page = URI.create((base.endsWith("/") ? base : base + "/") + project + "/");
    HttpFetcher.Response response = http.get(page, ACCEPT);
    if (response.status() == 404) {
      return List.of();
    }
    return response.contentType().contains("json")
        ? SimplePages.json(response.body(), response.uri(), index)
        : SimplePages.html(response.body(), response.uri(), index);
  }

  /** A PEP 503 tree on disk, as pip reads a {@code file://} index: {@code <project>/index.html}. */
  private static List<DistributionLink> fromLocalIndex(SourceLocation index, String project) {
    Path page = Path.of(index.uri()).resolve(project).resolve("index.html");
    if (!Files.isRegularFile(page)) {
      return List.of();
    }
    try {
      return SimplePages.html(Files.readString(page, StandardCharsets.UTF_8), page.toUri(), index);
    } catch (IOException e) {
      throw new PackageSourceException("Cannot read " + page + ": " + FileErrors.reason(e), e);
    }
  }

  private List<DistributionLink> flatLinks() {
    if (flatLinks == null) {
      List<DistributionLink> links = new ArrayList<>();
      for (SourceLocation location : sources.links()) {
        links.addAll(location.isLocal() ? directory(location) : page(location));
      }
      flatLinks = List.copyOf(links);
    }
    return flatLinks;
  }

  private static List<DistributionLink> directory(SourceLocation location) {
    Path directory = Path.of(location.uri());
    if (!Files.isDirectory(directory)) {
      throw new PackageSourceException("Find-links directory " + directory + " does not exist");
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(Files::isRegularFile)
          .sorted()
          .map(
              f ->
                  new DistributionLink(
                      f.getFileName().toString(),
                      f.toUri(),
                      Optional.empty(),
                      "",
                      Optional.empty(),
                      false,
                      Optional.empty(),
                      location))
          .toList();
    } catch (IOException e) {
      throw new PackageSourceException("Cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  private List<DistributionLink> page(SourceLocation location) {
    HttpFetcher.Response response = http.get(location.uri(), "text/html");
    if (response.status() == 404) {
      throw new PackageSourceException("Find-links page " + location + " not found (HTTP 404)");
    }
    return SimplePages.html(response.body(), response.uri(), location);
  }

  /** Whether {@code filename} is a distribution of normalised project {@code project}. */
  static boolean belongsTo(String filename, String project) {
    String lower = filename.toLowerCase(Locale.ROOT);
    int dash = lower.endsWith(".whl") ? lower.indexOf('-') : lower.lastIndexOf('-');
    return dash > 0 && ProjectNames.normalize(lower.substring(0, dash)).equals(project);
  }

  /**
   * Downloads {@code link} to {@code file}; returns its sha256 (hex).
   *
   * @throws IOException when {@code file} cannot be written (a full disk); what the source did
   *     throws a {@link PackageSourceException}
   */
  public String download(DistributionLink link, Path file) throws IOException {
    if (link.url().getScheme().equals("file")) {
      InputStream in;
      try {
        in = Files.newInputStream(Path.of(link.url()));
      } catch (IOException e) {
        throw new PackageSourceException(
            "Cannot read " + Path.of(link.url()) + ": " + FileErrors.reason(e), e);
      }
      try (in) {
        Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return sha256(file);
    }
    return http.download(link.url(), file, link.source());
  }

  /** The wheel's METADATA from the source (PEP 658), checked against its digest when given. */
  public Optional<String> metadata(DistributionLink link) {
    if (!link.metadata() || link.url().getScheme().equals("file")) {
      return Optional.empty();
    }
    HttpFetcher.Response response = http.get(URI.create(link.url() + ".metadata"), "*/*");
    if (response.status() != 200) {
      return Optional.empty();
    }
    byte[] bytes = response.bytes(); // hashed as sent: old METADATA files may not be UTF-8
    if (link.metadataSha256().isPresent()
        && !link.metadataSha256().get().equalsIgnoreCase(sha256(bytes))) {
      throw new PackageSourceException(
          "The metadata of "
              + link.filename()
              + " from "
              + link.source()
              + " does not match its sha256");
    }
    return Optional.of(response.body());
  }

  /** The sha256 of {@code file}'s content, hex. */
  public static String sha256(Path file) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sha256 of {@code bytes}, hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
