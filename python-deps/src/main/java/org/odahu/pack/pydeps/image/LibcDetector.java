package org.odahu.pack.pydeps.image;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.pydeps.tags.Libc;

/**
 * Finds an image's C library and its version: musl from its loader and apk's records; glibc from
 * dpkg's records, a {@code libc-2.N.so} file name (before 2.34), or the banner and symbol versions
 * inside {@code libc.so.6}.
 */
final class LibcDetector {
  private static final Pattern LIBC_FILE = Pattern.compile("libc-(\\d+)\\.(\\d+)\\.so");
  private static final Pattern BANNER = Pattern.compile("release version (\\d+)\\.(\\d+)");
  private static final Pattern SYMBOL_VERSION = Pattern.compile("GLIBC_2\\.(\\d+)");
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

  private final ImageFiles files;

  LibcDetector(ImageFiles files) {
    this.files = files;
  }

  Optional<Libc> detect(String architecture, List<String> notes) {
    if (files.isFile("/lib/ld-musl-" + architecture + ".so.1")) {
      Optional<Libc> musl =
          new PackageRecords(files).apkVersion("musl").flatMap(v -> version(v, true));
      if (musl.isEmpty()) {
        notes.add("musl's version not found; assuming 1.1");
      }
      return Optional.of(musl.orElse(Libc.musl(1, 1)));
    }
    Optional<Libc> dpkg =
        new PackageRecords(files).version("libc6").flatMap(v -> version(v, false));
    if (dpkg.isPresent()) {
      return dpkg;
    }
    List<String> directories =
        List.of(
            "/lib/" + architecture + "-linux-gnu",
            "/usr/lib/" + architecture + "-linux-gnu",
            "/lib64",
            "/usr/lib64",
            "/lib",
            "/usr/lib");
    for (String directory : directories) {
      for (String name : files.list(directory)) {
        Matcher m = LIBC_FILE.matcher(name);
        if (m.matches()) {
          return Optional.of(
              Libc.glibc(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
      }
    }
    for (String directory : directories) {
      Optional<Libc> inside = fromLibrary(directory + "/libc.so.6");
      if (inside.isPresent()) {
        return inside;
      }
    }
    notes.add("No C library found: only pure-Python wheels can be installed");
    return Optional.empty();
  }

  private static Optional<Libc> version(String packageVersion, boolean musl) {
    Matcher m = VERSION.matcher(packageVersion.replaceAll("^\\d+:", ""));
    if (!m.lookingAt()) {
      return Optional.empty();
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return Optional.of(musl ? Libc.musl(major, minor) : Libc.glibc(major, minor));
  }

  private Optional<Libc> fromLibrary(String path) {
    Optional<String> content =
        files.read(path, 32 << 20).map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1));
    if (content.isEmpty()) {
      return Optional.empty();
    }
    Matcher banner = BANNER.matcher(content.get());
    if (banner.find()) {
      return Optional.of(
          Libc.glibc(Integer.parseInt(banner.group(1)), Integer.parseInt(banner.group(2))));
    }
    Matcher symbols = SYMBOL_VERSION.matcher(content.get());
    int highest = -1;
    while (symbols.find()) {
      highest = Math.max(highest, Integer.parseInt(symbols.group(1)));
    }
    return highest < 0 ? Optional.empty() : Optional.of(Libc.glibc(2, highest));
  }
}
