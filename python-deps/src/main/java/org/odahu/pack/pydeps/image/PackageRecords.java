package org.odahu.pack.pydeps.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The system package databases of an image: dpkg's {@code status} (and distroless images' {@code
 * status.d/}), and Alpine's apk {@code installed}.
 */
final class PackageRecords {
  private final ImageFiles files;

  PackageRecords(ImageFiles files) {
    this.files = files;
  }

  /** The version of installed Debian package {@code name}, e.g. {@code 2.36-9+deb12u4}. */
  Optional<String> version(String name) {
    List<String> databases = new ArrayList<>();
    files.text("/var/lib/dpkg/status").ifPresent(databases::add);
    for (String entry : files.list("/var/lib/dpkg/status.d")) {
      files.text("/var/lib/dpkg/status.d/" + entry).ifPresent(databases::add);
    }
    for (String database : databases) {
      for (String stanza : database.split("\n\n", -1)) {
        Optional<String> version = debianVersion(stanza, name);
        if (version.isPresent()) {
          return version;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> debianVersion(String stanza, String name) {
    String packageName = null;
    String version = null;
    boolean installed = true;
    for (String line : stanza.split("\n", -1)) {
      if (line.startsWith("Package: ")) {
        packageName = line.substring(9).strip();
      } else if (line.startsWith("Version: ")) {
        version = line.substring(9).strip();
      } else if (line.startsWith("Status: ")) {
        installed = line.endsWith(" installed");
      }
    }
    return name.equals(packageName) && installed ? Optional.ofNullable(version) : Optional.empty();
  }

  /** The version of installed Alpine package {@code name}, e.g. {@code 1.2.4-r2}. */
  Optional<String> apkVersion(String name) {
    Optional<String> database = files.text("/lib/apk/db/installed");
    if (database.isEmpty()) {
      return Optional.empty();
    }
    for (String stanza : database.get().split("\n\n", -1)) {
      if (stanza.startsWith("P:" + name + "\n") || stanza.contains("\nP:" + name + "\n")) {
        for (String line : stanza.split("\n", -1)) {
          if (line.startsWith("V:")) {
            return Optional.of(line.substring(2).strip());
          }
        }
      }
    }
    return Optional.empty();
  }
}
