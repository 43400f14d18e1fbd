package org.odahu.pack.pydeps.image;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.pep508.CoreMetadata;
import org.odahu.pack.pydeps.pep508.ProjectNames;
import org.odahu.pack.pydeps.pep508.Requirement;

/**
 * Lists the distributions in site directories from their metadata: {@code *.dist-info/METADATA},
 * {@code *.egg-info/PKG-INFO} (with {@code requires.txt}) and single-file {@code *.egg-info}. A
 * name found in an earlier directory hides later ones, as on {@code sys.path}.
 */
final class DistributionScanner {
  private final ImageFiles files;

  DistributionScanner(ImageFiles files) {
    this.files = files;
  }

  List<InstalledDistribution> scan(List<String> sites, List<String> notes) {
    List<InstalledDistribution> found = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String site : sites) {
      for (String entry : files.list(site)) {
        String lower = entry.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".dist-info") && !lower.endsWith(".egg-info")) {
          continue;
        }
        Optional<InstalledDistribution> distribution = read(site + "/" + entry, notes);
        if (distribution.isPresent() && seen.add(distribution.get().key())) {
          found.add(distribution.get());
        }
      }
    }
    found.sort(java.util.Comparator.comparing(InstalledDistribution::key));
    return found;
  }

  private Optional<InstalledDistribution> read(String path, List<String> notes) {
    boolean distInfo = path.endsWith(".dist-info");
    String metadataFile =
        distInfo ? path + "/METADATA" : files.isDirectory(path) ? path + "/PKG-INFO" : path;
    Optional<String> text = files.text(metadataFile);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    CoreMetadata metadata = CoreMetadata.parse(text.get());
    Optional<String> name = metadata.first("Name").filter(ProjectNames::isValid);
    Optional<Version> version = metadata.first("Version").flatMap(Version::tryParse);
    if (name.isEmpty() || version.isEmpty()) {
      notes.add("Skipped " + path + ": no valid name and version in its metadata");
      return Optional.empty();
    }
    List<String> lines = new ArrayList<>(metadata.all("Requires-Dist"));
    if (!distInfo) {
      files.text(path + "/requires.txt").map(CoreMetadata::eggRequires).ifPresent(lines::addAll);
    }
    List<Requirement> requires = new ArrayList<>();
    for (String line : lines) {
      try {
        requires.add(Requirement.parse(line));
      } catch (DependencyException invalid) {
        notes.add("Ignored a requirement of " + path + ": " + invalid.getMessage());
      }
    }
    return Optional.of(new InstalledDistribution(name.get(), version.get(), path, requires));
  }
}
