package org.odahu.pack.pydeps.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.tags.Libc;

/**
 * Reads what a base image provides from its own file system: the interpreter the workers will run
 * (found on the image's PATH), its version (headers, conda or dpkg records, or the binary itself),
 * the machine (the interpreter's ELF header), the C library and the installed distributions.
 * Nothing of the image is executed.
 */
public final class TargetDetector {
  /** The files detection reads, for {@link LayeredImageRoot#read}'s prefetch. */
  public static final Predicate<String> PREFETCH =
      path ->
          path.endsWith(".dist-info/METADATA")
              || path.endsWith(".egg-info/PKG-INFO")
              || path.endsWith(".egg-info/requires.txt")
              || path.endsWith(".egg-info")
              || path.endsWith("/patchlevel.h")
              || path.endsWith("/pyvenv.cfg")
              || path.equals("/var/lib/dpkg/status")
              || path.startsWith("/var/lib/dpkg/status.d/")
              || path.equals("/lib/apk/db/installed")
              || path.contains("/conda-meta/python-");

  private static final Pattern INTERPRETER_NAME = Pattern.compile("python(\\d)\\.(\\d+)");
  private static final Pattern PY_VERSION =
      Pattern.compile("#define\\s+PY_VERSION\\s+\"(\\d+\\.\\d+\\.\\d+)");
  private static final Map<Integer, String> ELF_MACHINES =
      Map.of(
          0x3E, "x86_64", 0xB7, "aarch64", 0x03, "i686", 0x28, "armv7l", 0x16, "s390x", 0xF3,
          "riscv64");
  private static final Map<String, String> OCI_ARCHITECTURES =
      Map.of(
          "amd64", "x86_64", "arm64", "aarch64", "386", "i686", "arm", "armv7l", "ppc64le",
          "ppc64le", "s390x", "s390x", "riscv64", "riscv64");

  /** Reads the target from {@code root}. */
  public TargetEnvironment detect(ImageRoot root, TargetHints hints) {
    ImageFiles files = new ImageFiles(root);
    List<String> notes = new ArrayList<>();
    String interpreter = findInterpreter(files, hints);
    String real = files.resolve(interpreter).orElseThrow();
    String prefix = parent(parent(real));
    int[] minor = minorVersion(files, real, prefix);
    String xy = minor[0] + "." + minor[1];
    String version = fullVersion(files, real, prefix, xy, notes);
    String architecture = architecture(files, real, hints, notes);
    Optional<Libc> libc = new LibcDetector(files).detect(architecture, notes);
    List<String> sites = siteDirectories(files, prefix, xy);
    Optional<String> venv = virtualEnvironment(files, interpreter);
    if (venv.isPresent()) {
      sites = venvSites(files, venv.get(), xy, prefix);
    }
    List<InstalledDistribution> installed = new DistributionScanner(files).scan(sites, notes);
    return new TargetEnvironment(interpreter, version, architecture, libc, sites, installed, notes);
  }

  private static String findInterpreter(ImageFiles files, TargetHints hints) {
    if (hints.interpreter().startsWith("/")) {
      if (files.isFile(hints.interpreter())) {
        return hints.interpreter();
      }
      throw new DependencyException(
          "The base image has no Python interpreter at " + hints.interpreter());
    }
    for (String directory : hints.pathVariable().split(":", -1)) {
      String candidate = (directory.isEmpty() ? "" : directory) + "/" + hints.interpreter();
      if (directory.startsWith("/") && files.isFile(candidate)) {
        return candidate;
      }
    }
    throw new DependencyException(
        "The base image has no '"
            + hints.interpreter()
            + "' on its PATH ("
            + hints.pathVariable()
            + "): Python dependencies need a base image with Python");
  }

  /** X.Y from the interpreter's file name ({@code python3.11}), else the prefix's lib directory. */
  private static int[] minorVersion(ImageFiles files, String real, String prefix) {
    Matcher name = INTERPRETER_NAME.matcher(real.substring(real.lastIndexOf('/') + 1));
    if (name.matches()) {
      return new int[] {Integer.parseInt(name.group(1)), Integer.parseInt(name.group(2))};
    }
    int best = -1;
    for (String entry : files.list(prefix + "/lib")) {
      Matcher lib = INTERPRETER_NAME.matcher(entry);
      if (lib.matches()
          && lib.group(1).equals("3")
          && files.isFile(prefix + "/lib/" + entry + "/os.py")) {
        best = Math.max(best, Integer.parseInt(lib.group(2)));
      }
    }
    if (best < 0) {
      throw new DependencyException(
          "Cannot tell the Python version of " + real + " in the base image");
    }
    return new int[] {3, best};
  }

  private static String fullVersion(
      ImageFiles files, String real, String prefix, String xy, List<String> notes) {
    Optional<String> headers =
        files
            .text(prefix + "/include/python" + xy + "/patchlevel.h")
            .map(PY_VERSION::matcher)
            .filter(Matcher::find)
            .map(m -> m.group(1));
    if (headers.isPresent()) {
      return headers.get();
    }
    for (String entry : files.list(prefix + "/conda-meta")) {
      Matcher conda =
          Pattern.compile("python-(" + Pattern.quote(xy) + "\\.\\d+)-.*\\.json").matcher(entry);
      if (conda.matches()) {
        return conda.group(1);
      }
    }
    Optional<String> dpkg =
        new PackageRecords(files)
            .version("python" + xy + "-minimal")
            .or(() -> new PackageRecords(files).version("libpython" + xy + "-minimal"))
            .map(debian -> debian.replaceAll("^\\d+:", "").replaceAll("[-~+].*$", ""))
            .filter(v -> v.startsWith(xy + "."));
    if (dpkg.isPresent()) {
      return dpkg.get();
    }
    Optional<String> binary =
        files
            .read(real, 64 << 20)
            .map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1))
            .map(Pattern.compile("(?<![\\d.])(" + Pattern.quote(xy) + "\\.\\d+)[ \\x00+]")::matcher)
            .filter(Matcher::find)
            .map(m -> m.group(1));
    if (binary.isPresent()) {
      return binary.get();
    }
    notes.add("Python's patch level not found; assuming " + xy + ".0");
    return xy + ".0";
  }

  private static String architecture(
      ImageFiles files, String real, TargetHints hints, List<String> notes) {
    Optional<byte[]> header = files.read(real, 20);
    if (header.isPresent()
        && header.get().length == 20
        && header.get()[0] == 0x7f
        && header.get()[1] == 'E') {
      byte[] elf = header.get();
      boolean little = elf[5] == 1;
      int machine =
          little
              ? (elf[18] & 0xff) | (elf[19] & 0xff) << 8
              : (elf[19] & 0xff) | (elf[18] & 0xff) << 8;
      if (machine == 0x15) {
        return little ? "ppc64le" : "ppc64";
      }
      if (ELF_MACHINES.containsKey(machine)) {
        return ELF_MACHINES.get(machine);
      }
    }
    String configured =
        hints.architecture().map(a -> OCI_ARCHITECTURES.getOrDefault(a, a)).orElse("x86_64");
    notes.add("Architecture taken from the image configuration: " + configured);
    return configured;
  }

  /**
   * The directories the interpreter imports installed distributions from, as its {@code site}
   * module lists them: Debian's {@code dist-packages} for Debian's own Python, {@code
   * site-packages} for any other.
   */
  private static List<String> siteDirectories(ImageFiles files, String prefix, String xy) {
    Set<String> candidates = new LinkedHashSet<>();
    boolean debian = prefix.equals("/usr") && files.isDirectory("/usr/lib/python3/dist-packages");
    if (debian) {
      candidates.add("/usr/local/lib/python" + xy + "/dist-packages");
      candidates.add("/usr/lib/python3/dist-packages");
      candidates.add("/usr/lib/python" + xy + "/dist-packages");
    }
    candidates.add(prefix + "/lib/python" + xy + "/site-packages");
    candidates.add(prefix + "/lib64/python" + xy + "/site-packages");
    return candidates.stream().filter(files::isDirectory).toList();
  }

  /**
   * The virtual environment {@code interpreter} (as named, not resolved) runs in, as Python's
   * {@code site} finds it: a {@code pyvenv.cfg} beside it or one level up makes the directory above
   * the interpreter's the environment's prefix.
   */
  private static Optional<String> virtualEnvironment(ImageFiles files, String interpreter) {
    String bin = parent(interpreter);
    String prefix = parent(bin);
    for (String directory : List.of(bin, prefix)) {
      if (!directory.isEmpty() && files.isFile(directory + "/pyvenv.cfg")) {
        return Optional.of(prefix);
      }
    }
    return Optional.empty();
  }

  /**
   * A virtual environment's site directories: its own, then the base's unless its {@code
   * pyvenv.cfg} says {@code include-system-site-packages = false} (Python's default is true). The
   * base is the one {@code home} names (a copied interpreter resolves to no base), else {@code
   * realPrefix}, where the interpreter's links lead.
   */
  private static List<String> venvSites(
      ImageFiles files, String venv, String xy, String realPrefix) {
    Map<String, String> settings = new java.util.HashMap<>();
    for (String name : List.of(venv + "/bin/pyvenv.cfg", venv + "/pyvenv.cfg")) {
      files.text(name).stream()
          .flatMap(String::lines)
          .map(line -> line.split("=", 2))
          .filter(kv -> kv.length == 2)
          .forEach(
              kv ->
                  settings.putIfAbsent(
                      kv[0].strip().toLowerCase(java.util.Locale.ROOT), kv[1].strip()));
    }
    List<String> sites = new ArrayList<>(siteDirectories(files, venv, xy));
    if (!"false".equalsIgnoreCase(settings.getOrDefault("include-system-site-packages", "true"))) {
      String home = settings.get("home");
      String base = home != null && home.startsWith("/") ? parent(home) : realPrefix;
      siteDirectories(files, base, xy).stream()
          .filter(site -> !sites.contains(site))
          .forEach(sites::add);
    }
    return sites;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "" : path.substring(0, slash);
  }
}
