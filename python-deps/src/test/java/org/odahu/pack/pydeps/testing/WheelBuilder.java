package org.odahu.pack.pydeps.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Builds real wheels (PEP 427 zips with METADATA, WHEEL, RECORD) for tests. */
public final class WheelBuilder {
  private final String name;
  private final String version;
  private String tag = "py3-none-any";
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final Map<String, Integer> modes = new LinkedHashMap<>();
  private final List<String> requires = new ArrayList<>();
  private final List<String> extras = new ArrayList<>();
  private String requiresPython;
  private String entryPoints;

  private WheelBuilder(String name, String version) {
    this.name = name;
    this.version = version;
  }

  /** A wheel of project {@code name} at {@code version}. */
  public static WheelBuilder wheel(String name, String version) {
    return new WheelBuilder(name, version);
  }

  /** Its tag, e.g. {@code cp311-cp311-manylinux_2_17_x86_64}. */
  public WheelBuilder tag(String value) {
    this.tag = value;
    return this;
  }

  /** A file (mode 644). */
  public WheelBuilder file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  /** A file with a mode. */
  public WheelBuilder file(String path, byte[] content, int mode) {
    files.put(path, content);
    modes.put(path, mode);
    return this;
  }

  /** A {@code Requires-Dist} line. */
  public WheelBuilder requires(String requirement) {
    requires.add(requirement);
    return this;
  }

  /** A {@code Provides-Extra}. */
  public WheelBuilder extra(String extra) {
    extras.add(extra);
    return this;
  }

  /** {@code Requires-Python}. */
  public WheelBuilder requiresPython(String specifier) {
    this.requiresPython = specifier;
    return this;
  }

  /** {@code entry_points.txt}. */
  public WheelBuilder entryPoints(String text) {
    this.entryPoints = text;
    return this;
  }

  /** The wheel's file name. */
  public String filename() {
    return name.replace('-', '_') + "-" + version + "-" + tag + ".whl";
  }

  /** The core metadata text. */
  public String metadata() {
    StringBuilder metadata =
        new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
    if (requiresPython != null) {
      metadata.append("Requires-Python: ").append(requiresPython).append('\n');
    }
    extras.forEach(e -> metadata.append("Provides-Extra: ").append(e).append('\n'));
    requires.forEach(r -> metadata.append("Requires-Dist: ").append(r).append('\n'));
    return metadata.append("\nA test package.\n").toString();
  }

  /** Writes the wheel into {@code directory}. */
  public Path write(Path directory) throws IOException {
    String distInfo = name.replace('-', '_') + "-" + version + ".dist-info/";
    Map<String, byte[]> all = new LinkedHashMap<>(files);
    all.put(distInfo + "METADATA", metadata().getBytes(StandardCharsets.UTF_8));
    all.put(
        distInfo + "WHEEL",
        ("Wheel-Version: 1.0\nGenerator: odahu-pack-tests\nRoot-Is-Purelib: "
                + tag.endsWith("-any")
                + "\nTag: "
                + tag
                + "\n")
            .getBytes(StandardCharsets.UTF_8));
    if (entryPoints != null) {
      all.put(distInfo + "entry_points.txt", entryPoints.getBytes(StandardCharsets.UTF_8));
    }
    StringBuilder record = new StringBuilder();
    all.forEach(
        (path, content) ->
            record
                .append(path)
                .append(",sha256=")
                .append(hash(content))
                .append(',')
                .append(content.length)
                .append('\n'));
    record.append(distInfo).append("RECORD,,\n");
    all.put(distInfo + "RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> file : all.entrySet()) {
        ZipArchiveEntry entry = new ZipArchiveEntry(file.getKey());
        entry.setUnixMode(0100000 | modes.getOrDefault(file.getKey(), 0644));
        zip.putArchiveEntry(entry);
        zip.write(file.getValue());
        zip.closeArchiveEntry();
      }
    }
    Path wheel = directory.resolve(filename());
    Files.write(wheel, bytes.toByteArray());
    return wheel;
  }

  private static String hash(byte[] content) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
