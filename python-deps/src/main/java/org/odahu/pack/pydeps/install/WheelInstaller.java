package org.odahu.pack.pydeps.install;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.odahu.pack.pydeps.common.WheelInstallException;
import org.odahu.pack.pydeps.pep508.ProjectNames;
import org.odahu.pack.pydeps.tags.WheelFilename;

/**
 * Installs one wheel (PEP 427) into a tree: {@code site-packages/} (purelib and platlib), {@code
 * bin/} (scripts, shebangs pointing at the image's interpreter; console scripts generated), {@code
 * include/<name>/} and data files at the tree's root. Hashes in the wheel's RECORD are checked,
 * file modes kept (executables 755, others 644), a fresh RECORD and {@code INSTALLER} written, no
 * {@code .pyc} compiled, no code of the wheel run. Entries that would land outside the tree, and
 * symbolic links, are refused.
 */
final class WheelInstaller {
  static final String SITE = "site-packages";
  static final String BIN = "bin";
  private static final Pattern DIST_INFO_WHEEL = Pattern.compile("([^/]+)\\.dist-info/WHEEL");

  /**
   * Names a script may not have: {@code bin/} comes first on the image's {@code PATH}, so a script
   * named like the interpreter would run instead of the base's Python wherever {@code python3} is
   * looked up on it (the model's own subprocesses, for one).
   */
  private static final Pattern INTERPRETER_NAME = Pattern.compile("python(\\d+(\\.\\d+)*)?");

  private static final Set<String> NOT_COPIED =
      Set.of("RECORD", "RECORD.jws", "RECORD.p7s", "INSTALLER", "REQUESTED");

  /**
   * The most a wheel may expand to: 32 times its own size and 256 MiB more. Real wheels expand 2-5
   * times (numpy, torch); a zip bomb of a few MB would fill the disk.
   */
  static long expansionLimit(long wheelBytes) {
    return 32 * wheelBytes + (256L << 20);
  }

  /**
   * The largest RECORD read. Big wheels' are a few MiB at most (a line of ~100 bytes per file; tens
   * of thousands of files for the largest SDKs); only the lines of the wheel's own entries are
   * kept.
   */
  static final int MAX_RECORD_BYTES = 16 << 20;

  /** The largest {@code WHEEL} or {@code entry_points.txt} read (they are a few KiB). */
  static final int MAX_METADATA_FILE_BYTES = 4 << 20;

  /** The largest script (in {@code .data/scripts}), which is read whole to set its shebang. */
  static final int MAX_SCRIPT_BYTES = 16 << 20;

  private final String interpreter;

  /** An installer whose scripts run {@code interpreter} (e.g. {@code /usr/bin/python3}). */
  WheelInstaller(String interpreter) {
    this.interpreter = interpreter;
  }

  /** Installs {@code wheel} (named {@code filename}) into {@code root}. */
  void install(Path wheel, String filename, Path root) throws IOException {
    WheelFilename name =
        WheelFilename.parse(filename)
            .orElseThrow(() -> new WheelInstallException(filename + " is not a wheel file name"));
    try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
      List<ZipArchiveEntry> entries = new ArrayList<>(Collections.list(zip.getEntries()));
      refuseOtherDistInfo(entries, filename);
      entries.removeIf(ZipArchiveEntry::isDirectory);
      entries.sort(java.util.Comparator.comparing(ZipArchiveEntry::getName));
      String distInfo = distInfo(entries, name, filename);
      long[] budget = {expansionLimit(Files.size(wheel))};
      checkWheelVersion(
          text(zip, distInfo + "/WHEEL", MAX_METADATA_FILE_BYTES, filename, budget), filename);
      Map<String, String> hashes =
          RecordFile.hashes(
              text(zip, distInfo + "/RECORD", MAX_RECORD_BYTES, filename, budget),
              entries.stream().map(ZipArchiveEntry::getName).collect(Collectors.toSet()));
      String data = distInfo.substring(0, distInfo.length() - ".dist-info".length()) + ".data/";
      RecordFile record = new RecordFile();
      for (ZipArchiveEntry entry : entries) {
        String path = safeName(entry, filename);
        if (!path.startsWith(distInfo + "/")
            || !NOT_COPIED.contains(path.substring(distInfo.length() + 1))) {
          String destination = destination(path, data, name.name());
          refuseInterpreterName(destination, path, filename);
          copy(zip, entry, hashes.get(path), root, destination, filename, record, budget);
        }
      }
      consoleScripts(zip, distInfo, filename, root, record, budget);
      writeSmall(
          root,
          SITE + "/" + distInfo + "/INSTALLER",
          "odahu-pack\n".getBytes(StandardCharsets.UTF_8),
          false,
          record);
      record.write(root.resolve(SITE), distInfo);
    }
  }

  /** Copies one entry, checked against its RECORD hash; a script gets the image's shebang. */
  private void copy(
      ZipFile zip,
      ZipArchiveEntry entry,
      String expected,
      Path root,
      String destination,
      String filename,
      RecordFile record,
      long[] budget)
      throws IOException {
    boolean script = destination.startsWith(BIN + "/");
    boolean executable = script || (entry.getUnixMode() & 0111) != 0;
    try (InputStream in = zip.getInputStream(entry)) {
      if (script) {
        byte[] original = in.readNBytes(MAX_SCRIPT_BYTES + 1);
        if (original.length > MAX_SCRIPT_BYTES) {
          throw new WheelInstallException(
              filename
                  + ": the script '"
                  + entry.getName()
                  + "' is over "
                  + (MAX_SCRIPT_BYTES >> 20)
                  + " MiB");
        }
        spend(budget, original.length, filename);
        verify(expected, original, filename, entry.getName());
        writeSmall(root, destination, shebang(original), true, record);
      } else {
        Path file = root.resolve(destination);
        String digest = write(file, in, executable, expected, filename, entry.getName(), budget);
        record.add(destination, digest, Files.size(file));
      }
    }
  }

  /**
   * Refuses a script that would land at {@code bin/python3} and the like ({@link
   * #INTERPRETER_NAME}).
   */
  private static void refuseInterpreterName(String destination, String from, String filename) {
    if (destination.startsWith(BIN + "/")
        && INTERPRETER_NAME.matcher(destination.substring(BIN.length() + 1)).matches()) {
      throw new WheelInstallException(
          filename
              + ": its script '"
              + destination.substring(BIN.length() + 1)
              + "' ("
              + from
              + ") would take the place of the base image's Python on the PATH: refused");
    }
  }

  /** Takes {@code bytes} from what the wheel may still expand to. */
  private static void spend(long[] budget, long bytes, String filename) {
    budget[0] -= bytes;
    if (budget[0] < 0) {
      throw new WheelInstallException(
          filename
              + " expands to more than 32 times its size (and 256 MiB): refused as a zip bomb");
    }
  }

  /**
   * Refuses a wheel with more than one top-level {@code .dist-info} directory, as pip does
   * ("multiple .dist-info directories found"): the others (say {@code numpy-99.0.dist-info/}) would
   * be installed as distributions of their own, which imports and pip would believe in.
   */
  private static void refuseOtherDistInfo(List<ZipArchiveEntry> entries, String filename) {
    Set<String> found = new TreeSet<>();
    for (ZipArchiveEntry entry : entries) {
      String top = entry.getName().split("/", 2)[0];
      if (top.endsWith(".dist-info")) {
        found.add(top);
      }
    }
    if (found.size() > 1) {
      throw new WheelInstallException(
          filename + " has more than one .dist-info directory (" + String.join(", ", found) + ")");
    }
  }

  private static String distInfo(
      List<ZipArchiveEntry> entries, WheelFilename name, String filename) {
    List<String> found = new ArrayList<>();
    for (ZipArchiveEntry entry : entries) {
      Matcher m = DIST_INFO_WHEEL.matcher(entry.getName());
      if (m.matches()) {
        found.add(m.group(1));
      }
    }
    if (found.size() != 1) {
      throw new WheelInstallException(
          filename + " has " + found.size() + " .dist-info/WHEEL files, expected one");
    }
    String stem = found.get(0);
    int dash = stem.lastIndexOf('-');
    if (dash < 0 || !ProjectNames.normalize(stem.substring(0, dash)).equals(name.name())) {
      throw new WheelInstallException(
          filename + ": its " + stem + ".dist-info does not match the file name");
    }
    return stem + ".dist-info";
  }

  private static void checkWheelVersion(String wheelFile, String filename) {
    Matcher m = Pattern.compile("(?m)^Wheel-Version:\\s*(\\d+)\\.").matcher(wheelFile);
    if (!m.find() || !m.group(1).equals("1")) {
      throw new WheelInstallException(
          filename + ": unsupported Wheel-Version (odahu-pack installs version 1 wheels)");
    }
  }

  /**
   * The text of {@code path}, at most {@code limit} bytes, taken from the expansion budget: these
   * files are read whole, and a small wheel could otherwise carry one of many MiB that expands in
   * memory (a RECORD of short lines, each an entry of a map) far beyond what the wheel weighs.
   */
  private static String text(ZipFile zip, String path, int limit, String filename, long[] budget)
      throws IOException {
    ZipArchiveEntry entry = zip.getEntry(path);
    if (entry == null) {
      throw new WheelInstallException(filename + " has no " + path);
    }
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw new WheelInstallException(
            filename + ": its " + path + " is over " + (limit >> 20) + " MiB: refused");
      }
      spend(budget, bytes.length, filename);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static String safeName(ZipArchiveEntry entry, String filename) {
    String name = entry.getName();
    if (name.chars().anyMatch(Character::isISOControl)) {
      // A line break in a name would start a line of its own in the RECORD written for it (one
      // naming e.g. /etc/passwd, which an uninstaller would then remove).
      throw new WheelInstallException(
          filename + ": entry '" + printable(name) + "' has a control character in its name");
    }
    boolean outside =
        name.startsWith("/")
            || name.contains("\\")
            || List.of(name.split("/", -1)).contains("..")
            || name.matches("^[A-Za-z]:.*");
    if (outside) {
      throw new WheelInstallException(
          filename + ": entry '" + name + "' would be written outside the install tree");
    }
    if (List.of(name.split("/", -1)).contains(".")) {
      // 'x.data/scripts/.' would be bin/ itself; pip-built wheels never name '.'.
      throw new WheelInstallException(
          filename + ": entry '" + name + "' has a '.' in its path, which wheels may not have");
    }
    if (entry.isUnixSymlink()) {
      throw new WheelInstallException(
          filename + ": entry '" + name + "' is a symbolic link, which wheels may not contain");
    }
    return name;
  }

  /** {@code name} with its control characters written as {@code \\uXXXX}, for messages. */
  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    name.chars()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
              } else {
                out.append((char) c);
              }
            });
    return out.toString();
  }

  /** Where a wheel path goes in the tree (PEP 427's {@code .data} scheme directories). */
  private static String destination(String path, String data, String project) {
    if (!path.startsWith(data)) {
      return SITE + "/" + path;
    }
    String rest = path.substring(data.length());
    int slash = rest.indexOf('/');
    String scheme = slash < 0 ? rest : rest.substring(0, slash);
    String file = slash < 0 ? "" : rest.substring(slash + 1);
    return switch (scheme) {
      case "purelib", "platlib" -> SITE + "/" + file;
      case "scripts" -> BIN + "/" + file;
      case "headers" -> "include/" + project + "/" + file;
      case "data" -> file;
      default ->
          throw new WheelInstallException("Unknown .data directory '" + scheme + "' in " + path);
    };
  }

  /**
   * A script whose first line starts with {@code #!python}, as pip tests it ({@code #!python},
   * {@code #!python3}, {@code #!python3.11}, {@code #!pythonw}...), with that line's first word
   * replaced by the image's interpreter: {@code #!python3 -u} becomes {@code #!/usr/bin/python3
   * -u}. A CR ending the line (a script written on Windows) is dropped, or the kernel would look
   * for {@code python3\r}. Unlike pip, which writes {@code #!<interpreter>} alone, the arguments
   * after the word are kept: setuptools writes {@code #!python -u} for a script that asked for it.
   */
  private byte[] shebang(byte[] script) {
    byte[] marker = "#!python".getBytes(StandardCharsets.US_ASCII);
    if (script.length < marker.length
        || !Arrays.equals(script, 0, marker.length, marker, 0, marker.length)) {
      return script;
    }
    int newline = 0;
    while (newline < script.length && script[newline] != '\n') {
      newline++;
    }
    int rest = Math.min(newline + 1, script.length);
    int end = newline;
    while (end > 2 && Character.isWhitespace(script[end - 1])) {
      end--; // the CR of a CRLF, trailing blanks
    }
    int word = 2;
    while (word < end && script[word] != ' ' && script[word] != '\t') {
      word++;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(script.length + interpreter.length());
    out.writeBytes(("#!" + interpreter).getBytes(StandardCharsets.UTF_8));
    out.write(script, word, end - word); // the arguments, as written
    out.write('\n');
    out.write(script, rest, script.length - rest);
    return out.toByteArray();
  }

  private static String write(
      Path file,
      InputStream in,
      boolean executable,
      String expected,
      String wheel,
      String path,
      long[] budget)
      throws IOException {
    Files.createDirectories(file.getParent());
    MessageDigest original = digest(expected == null ? "sha256" : algorithm(expected));
    MessageDigest written = digest("sha256");
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), written)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        spend(budget, n, wheel);
        original.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    if (expected != null
        && !expected.equals(RecordFile.hash(algorithm(expected), original.digest()))) {
      throw new WheelInstallException(
          wheel + ": '" + path + "' does not match the hash in its RECORD");
    }
    Modes.set(file, executable);
    return RecordFile.hash("sha256", written.digest());
  }

  private static void verify(String expected, byte[] content, String wheel, String path) {
    if (expected != null
        && !expected.equals(
            RecordFile.hash(algorithm(expected), digest(algorithm(expected)).digest(content)))) {
      throw new WheelInstallException(
          wheel + ": '" + path + "' does not match the hash in its RECORD");
    }
  }

  private static String algorithm(String recordHash) {
    int equals = recordHash.indexOf('=');
    return equals < 0 ? "sha256" : recordHash.substring(0, equals);
  }

  private void consoleScripts(
      ZipFile zip, String distInfo, String filename, Path root, RecordFile record, long[] budget)
      throws IOException {
    ZipArchiveEntry entryPoints = zip.getEntry(distInfo + "/entry_points.txt");
    if (entryPoints == null) {
      return;
    }
    String text = text(zip, entryPoints.getName(), MAX_METADATA_FILE_BYTES, filename, budget);
    for (ConsoleScripts.Script script : ConsoleScripts.parse(text, filename)) {
      refuseInterpreterName(BIN + "/" + script.name(), entryPoints.getName(), filename);
      byte[] launcher =
          ConsoleScripts.launcher(script, interpreter).getBytes(StandardCharsets.UTF_8);
      writeSmall(root, BIN + "/" + script.name(), launcher, true, record);
    }
  }

  private static void writeSmall(
      Path root, String destination, byte[] content, boolean executable, RecordFile record)
      throws IOException {
    Path file = root.resolve(destination);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    Modes.set(file, executable);
    record.add(
        destination, RecordFile.hash("sha256", digest("sha256").digest(content)), content.length);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT).replace("SHA", "SHA-"));
    } catch (NoSuchAlgorithmException e) {
      throw new WheelInstallException("Unsupported RECORD hash algorithm '" + algorithm + "'");
    }
  }
}
