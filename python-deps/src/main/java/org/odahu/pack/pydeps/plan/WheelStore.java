package org.odahu.pack.pydeps.plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.odahu.pack.artifact.files.DiskSpace;
import org.odahu.pack.pydeps.cache.DependencyCache;
import org.odahu.pack.pydeps.common.DependencyListener;
import org.odahu.pack.pydeps.common.WheelInstallException;
import org.odahu.pack.pydeps.index.DistributionLink;
import org.odahu.pack.pydeps.index.PackageFinder;
import org.odahu.pack.pydeps.index.PackageSourceException;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.pep508.CoreMetadata;
import org.odahu.pack.pydeps.pep508.ProjectNames;
import org.odahu.pack.pydeps.resolve.Candidate;
import org.odahu.pack.pydeps.resolve.MetadataSource;

/**
 * Wheels and their metadata for planning: from the cache by sha256 when the source gives the
 * digest, else downloaded once (digest checked against the source's and any {@code --hash}) and
 * kept; metadata from the source (PEP 658) or from the wheel itself.
 */
final class WheelStore implements MetadataSource {
  private final PackageFinder finder;
  private final DependencyCache cache;
  private final DependencyListener listener;
  private final Map<String, Path> fetched = new HashMap<>();
  private final Map<String, CoreMetadata> metadata = new HashMap<>();

  WheelStore(PackageFinder finder, DependencyCache cache, DependencyListener listener) {
    this.finder = finder;
    this.cache = cache;
    this.listener = listener;
  }

  /**
   * The cached wheel of {@code link}, downloaded if needed; its digest is in its directory name.
   */
  Path fetch(DistributionLink link, List<String> allowedHashes) {
    String key = link.url().toString();
    Path known = fetched.get(key);
    if (known == null && link.sha256().isPresent()) {
      known = cache.wheel(link.sha256().get(), link.filename()).orElse(null);
    }
    if (known == null) {
      known = download(link);
      fetched.put(key, known);
    }
    String sha256 = sha256(known);
    if (!allowedHashes.isEmpty() && !allowedHashes.contains(sha256)) {
      throw new PackageSourceException(
          link.filename()
              + " from "
              + link.source()
              + " has sha256 "
              + sha256
              + ", which no --hash of its requirement allows");
    }
    return known;
  }

  private Path download(DistributionLink link) {
    listener.progress("Downloading " + link.filename() + " from " + link.source());
    Path temporary = null;
    try {
      temporary = cache.newTemporary();
      String sha256 = finder.download(link, temporary);
      if (link.sha256().isPresent() && !link.sha256().get().equals(sha256)) {
        throw new PackageSourceException(
            link.filename()
                + " from "
                + link.source()
                + " does not match its sha256 (expected "
                + link.sha256().get()
                + ", got "
                + sha256
                + ")");
      }
      return cache.storeWheel(temporary, sha256, link.filename());
    } catch (IOException e) {
      throw new PackageSourceException(
          "Cannot store "
              + link.filename()
              + " in the cache: "
              + new DiskSpace(cache.directory(), null).reason(e),
          e);
    } finally {
      // Moved into the cache when stored; a failed or refused download goes.
      deleteQuietly(temporary);
    }
  }

  private static void deleteQuietly(Path temporary) {
    if (temporary != null) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException e) {
        // Swept by a later run.
      }
    }
  }

  /** The digest of a cached wheel: the name of its directory in the cache. */
  static String sha256(Path cachedWheel) {
    return cachedWheel.getParent().getFileName().toString();
  }

  /** Metadata read from wheels whose digest was checked: shared by digest. */
  private static final String WHEEL_METADATA = "wheel-metadata";

  /** Metadata a source serves beside a wheel (PEP 658): that source's word only. */
  private static final String SERVED_METADATA = "served-metadata";

  @Override
  public CoreMetadata metadata(Candidate.Wheel wheel) {
    DistributionLink link = wheel.link();
    CoreMetadata core = metadata.computeIfAbsent(link.url().toString(), url -> load(link));
    Optional<Version> declared = core.first("Version").flatMap(v -> Version.tryParse(v.strip()));
    if (declared.isPresent() && !declared.get().sameAs(wheel.version())) {
      // pip: "has inconsistent version"; installed, the wheel would register another version.
      throw new WheelInstallException(
          link.filename()
              + " from "
              + link.source()
              + " has an inconsistent version: its file name says "
              + wheel.version()
              + ", its METADATA says "
              + declared.get()
              + "; pip refuses such a wheel. Remedy: rebuild the wheel so that both agree, or"
              + " require another release");
    }
    Optional<String> named = core.first("Name").map(String::strip);
    if (named.isPresent() && !ProjectNames.normalize(named.get()).equals(wheel.name())) {
      // pip: "has inconsistent name"; installed, the wheel would register another project.
      throw new WheelInstallException(
          link.filename()
              + " from "
              + link.source()
              + " has an inconsistent name: its file name says "
              + wheel.name()
              + ", its METADATA says "
              + named.get()
              + "; pip refuses such a wheel. Remedy: rebuild the wheel so that both agree");
    }
    return core;
  }

  /**
   * The wheel's metadata. Read from the wheel itself, whose digest was checked, it is cached under
   * that digest for every source; the METADATA file a source serves beside it (PEP 658) is only
   * that source's word, cached under the wheel's URL too, so that a source listing another's wheel
   * with its real digest cannot change what that wheel requires elsewhere.
   */
  private CoreMetadata load(DistributionLink link) {
    // Both kinds are new: entries of the old shared kind ("metadata") may hold a source's word.
    Optional<String> verified = link.sha256().flatMap(sha256 -> cache.text(WHEEL_METADATA, sha256));
    if (verified.isPresent()) {
      return CoreMetadata.parse(verified.get());
    }
    // A source's metadata is its word only: keyed by the wheel's digest and URL and the digest the
    // page gives the METADATA file.
    Optional<String> served =
        link.sha256()
            .map(
                sha256 ->
                    PackageFinder.sha256(
                        (sha256 + " " + link.url() + " " + link.metadataSha256().orElse(""))
                            .getBytes(StandardCharsets.UTF_8)));
    Optional<String> cached = served.flatMap(key -> cache.text(SERVED_METADATA, key));
    if (cached.isPresent()) {
      return CoreMetadata.parse(cached.get());
    }
    Optional<String> fromSource = finder.metadata(link);
    if (fromSource.isPresent()) {
      served.ifPresent(key -> cache.storeText(SERVED_METADATA, key, fromSource.get()));
      return CoreMetadata.parse(fromSource.get());
    }
    String text = fromWheel(fetch(link, List.of()), link.filename());
    link.sha256().ifPresent(sha256 -> cache.storeText(WHEEL_METADATA, sha256, text));
    return CoreMetadata.parse(text);
  }

  private static String fromWheel(Path wheel, String filename) {
    try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
      for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
        String name = entry.getName();
        if (name.endsWith(".dist-info/METADATA") && name.indexOf('/') == name.lastIndexOf('/')) {
          try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readNBytes(16 << 20), StandardCharsets.UTF_8);
          }
        }
      }
    } catch (IOException e) {
      throw new WheelInstallException(filename + " is not a readable wheel: " + e.getMessage(), e);
    }
    throw new WheelInstallException(filename + " has no .dist-info/METADATA");
  }
}
