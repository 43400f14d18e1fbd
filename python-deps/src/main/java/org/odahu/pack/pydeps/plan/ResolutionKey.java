package org.odahu.pack.pydeps.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.odahu.pack.pydeps.cache.CanonicalJson;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.index.PackageFinder;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.index.SourceLocation;
import org.odahu.pack.pydeps.pep508.Requirement;

/**
 * The key a resolution is cached under: everything that decides it (declarations, target and the
 * distributions it has, sources without credentials, the files of local wheel directories and the
 * local wheels named directly, options), as the sha256 of canonical JSON. Local files count by name
 * and content (sha256), not by where they are nor by their time: a zip artifact is extracted into a
 * new temporary directory each time, and a wheel rebuilt under its name with the same size and a
 * fixed time (reproducible builds) is still a new input.
 */
final class ResolutionKey {
  /** Changes whenever planning would decide differently for the same inputs. */
  static final String FORMAT = "odahu-pack-resolution/3";

  private ResolutionKey() {}

  static String of(
      DeclaredDependencies declared,
      TargetEnvironment target,
      PackageSources sources,
      PlanOptions options,
      boolean prereleases) {
    Map<String, Object> value = new TreeMap<>();
    value.put("format", FORMAT);
    value.put(
        "requirements",
        declared.requirements().stream()
            .map(r -> withoutDirectory(r.requirement()) + " " + r.hashes() + " @" + r.origin())
            .sorted()
            .toList());
    value.put(
        "constraints",
        declared.constraints().stream()
            .map(r -> withoutDirectory(r.requirement()))
            .sorted()
            .toList());
    value.put(
        "python",
        declared.pythonPins().stream().map(p -> p.written() + " @" + p.origin()).sorted().toList());
    value.put(
        "conda",
        declared.condaOnly().stream().map(c -> c.written() + " @" + c.origin()).sorted().toList());
    value.put("notes", declared.notes());
    value.put(
        "target",
        List.of(
            target.interpreter(),
            target.pythonVersion(),
            target.architecture(),
            target.libc().map(Object::toString).orElse("none")));
    value.put(
        "installed", target.installed().stream().map(d -> d.key() + "==" + d.version()).toList());
    value.put("sources", sources.fingerprint());
    value.put("local-wheels", localWheels(sources));
    value.put("direct-wheels", directWheels(declared));
    value.put(
        "options",
        List.of(options.allowLinuxTag(), prereleases, declared.sources().requireHashes()));
    return CanonicalJson.sha256(value);
  }

  /**
   * The local wheels requirements name directly ({@code ./wheels/mypkg-0.1-py3-none-any.whl},
   * {@code mypkg @ file:///...}), each with its sha256: a wheel rebuilt under the same name is a
   * new input, whose resolution (and installed tree) must not be the old one's.
   */
  static List<String> directWheels(DeclaredDependencies declared) {
    List<String> files = new ArrayList<>();
    Stream.concat(declared.requirements().stream(), declared.constraints().stream())
        .map(r -> r.requirement().url())
        .filter(url -> url != null && url.regionMatches(true, 0, "file:", 0, 5))
        .distinct()
        .sorted()
        .forEach(url -> files.add(describe(url)));
    return files;
  }

  private static String describe(String url) {
    SourceLocation location;
    try {
      location = SourceLocation.parse(url);
    } catch (RuntimeException malformed) {
      return "(unreadable " + url + ")";
    }
    try {
      Path file = Path.of(location.uri());
      return file.getFileName() + " " + PackageFinder.sha256(file);
    } catch (IOException | RuntimeException e) {
      return "(unreadable " + location + ")";
    }
  }

  /** A requirement as written, a local wheel's URL by its file name only. */
  private static String withoutDirectory(Requirement requirement) {
    String url = requirement.url();
    if (url == null || !url.regionMatches(true, 0, "file:", 0, 5)) {
      return requirement.toString();
    }
    return requirement.toString().replace(url, "file:" + url.substring(url.lastIndexOf('/') + 1));
  }

  /**
   * The files of local find-links directories, each with its sha256: adding a wheel there, or
   * rebuilding one under the same name, is a new input.
   */
  static List<String> localWheels(PackageSources sources) {
    List<String> names = new ArrayList<>();
    for (SourceLocation location : sources.links()) {
      Path directory = location.isLocal() ? Path.of(location.uri()) : null;
      if (directory == null || !Files.isDirectory(directory)) {
        continue;
      }
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.sorted().toList()) {
          names.add(
              file.getFileName()
                  + " "
                  + (Files.isRegularFile(file) ? PackageFinder.sha256(file) : "(not a file)"));
        }
      } catch (IOException e) {
        names.add("(unreadable " + location + ")");
      }
    }
    return names;
  }
}
