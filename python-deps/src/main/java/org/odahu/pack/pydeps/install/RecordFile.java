package org.odahu.pack.pydeps.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A distribution's RECORD (PEP 376 / PEP 627): one CSV line per installed file with its sha256 and
 * size, paths relative to {@code site-packages}, sorted so the same files give the same bytes.
 */
final class RecordFile {
  private final Map<String, String> lines = new TreeMap<>();

  /** Records tree path {@code treePath} (relative to the tree root). */
  void add(String treePath, String hash, long size) {
    String relative =
        treePath.startsWith(WheelInstaller.SITE + "/")
            ? treePath.substring(WheelInstaller.SITE.length() + 1)
            : "../" + treePath;
    lines.put(relative, csv(relative) + "," + hash + "," + size);
  }

  /** Writes {@code site/distInfo/RECORD}. */
  void write(Path site, String distInfo) throws IOException {
    String self = distInfo + "/RECORD";
    lines.put(self, csv(self) + ",,");
    StringBuilder text = new StringBuilder();
    lines.values().forEach(line -> text.append(line).append('\n'));
    Path file = site.resolve(self);
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    Modes.set(file, false);
  }

  /** {@code algorithm=urlsafe-base64(digest)} without padding. */
  static String hash(String algorithm, byte[] digest) {
    return algorithm + "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  /**
   * The {@code path -> algorithm=digest} pairs of a wheel's RECORD text, for the paths in {@code
   * entries} only: lines naming files the wheel does not have take no memory.
   */
  static Map<String, String> hashes(String text, Set<String> entries) {
    Map<String, String> hashes = new HashMap<>();
    int start = 0;
    while (start < text.length()) {
      int newline = text.indexOf('\n', start);
      int end = newline < 0 ? text.length() : newline;
      String line =
          text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
      start = end + 1;
      List<String> fields = fields(line);
      if (fields.size() >= 2 && !fields.get(1).isEmpty() && entries.contains(fields.get(0))) {
        hashes.put(fields.get(0), unpadded(fields.get(1)));
      }
    }
    return hashes;
  }

  /** A RECORD hash without base64 padding, which pip accepts too: it decodes the digest. */
  private static String unpadded(String hash) {
    int end = hash.length();
    while (end > hash.indexOf('=') + 2 && hash.charAt(end - 1) == '=') {
      end--;
    }
    return hash.substring(0, end);
  }

  /**
   * Whether {@code site} holds {@code distributions} {@code .dist-info} directories and every file
   * their RECORDs list, of a size one of them records (two wheels may write the same file, as pip
   * lets them: the last one's stays): a cached tree someone damaged is not reused.
   */
  static boolean complete(Path site, int distributions) throws IOException {
    if (!Files.isDirectory(site, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    List<Path> distInfos;
    try (var entries = Files.list(site)) {
      distInfos = entries.filter(p -> p.getFileName().toString().endsWith(".dist-info")).toList();
    }
    if (distInfos.size() != distributions) {
      return false;
    }
    Map<Path, Set<String>> sizes = new HashMap<>();
    for (Path distInfo : distInfos) {
      Path record = distInfo.resolve("RECORD");
      if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
        List<String> fields = fields(line);
        if (fields.size() == 3 && !fields.get(2).isEmpty()) {
          sizes
              .computeIfAbsent(site.resolve(fields.get(0)), f -> new HashSet<>())
              .add(fields.get(2));
        }
      }
    }
    for (Map.Entry<Path, Set<String>> file : sizes.entrySet()) {
      if (!Files.isRegularFile(file.getKey(), LinkOption.NOFOLLOW_LINKS)
          || !file.getValue().contains(Long.toString(Files.size(file.getKey())))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A field as Python's {@code csv} module writes it (pip reads RECORD with it): quoted when it
   * holds a comma, a quote or a line break, so that no path can start a RECORD line of its own.
   */
  static String csv(String field) {
    return field.contains(",")
            || field.contains("\"")
            || field.indexOf('\n') >= 0
            || field.indexOf('\r') >= 0
        ? "\"" + field.replace("\"", "\"\"") + "\""
        : field;
  }

  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        field.append('"');
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
