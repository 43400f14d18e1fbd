package org.odahu.pack.pydeps.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes small image tarballs ({@code docker save} format) for tests. */
public final class TarImages {
  private static final long FIXED_TIME_MILLIS = 1000;

  private TarImages() {}

  /** One layer's entries, in order. */
  public static final class Layer {
    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    /** A regular file. */
    public Layer file(String path, byte[] content, int mode) {
      TarArchiveEntry entry = new TarArchiveEntry(path);
      entry.setSize(content.length);
      entry.setMode(0100000 | mode);
      entries.add(entry);
      contents.add(content);
      return this;
    }

    /** A symbolic link. */
    public Layer symlink(String path, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(path, TarArchiveEntry.LF_SYMLINK);
      entry.setLinkName(target);
      entries.add(entry);
      contents.add(new byte[0]);
      return this;
    }

    /** A hard link to an earlier entry of the same layer. */
    public Layer hardLink(String path, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(path, TarArchiveEntry.LF_LINK);
      entry.setLinkName(target);
      entries.add(entry);
      contents.add(new byte[0]);
      return this;
    }

    byte[] tar(boolean gzip) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (OutputStream raw = gzip ? new GZIPOutputStream(bytes) : bytes;
          TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (int i = 0; i < entries.size(); i++) {
          // A fixed time, as Jib writes: the same layer gets the same digest in every second.
          entries.get(i).setModTime(FIXED_TIME_MILLIS);
          tar.putArchiveEntry(entries.get(i));
          tar.write(contents.get(i));
          tar.closeArchiveEntry();
        }
      }
      return bytes.toByteArray();
    }
  }

  /**
   * A {@code docker save} tarball of {@code layers} (the first gzip-compressed, the others not)
   * whose configuration has {@code environment}, {@code architecture} and the layers' digests.
   */
  public static Path dockerSave(
      Path file, List<Layer> layers, Map<String, String> environment, String architecture)
      throws IOException {
    List<String> names = new ArrayList<>();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", architecture);
    config.put(
        "config",
        Map.of(
            "Env",
            environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    List<String> diffIds = new ArrayList<>();
    config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
    ObjectMapper json = new ObjectMapper();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      for (int i = 0; i < layers.size(); i++) {
        String name = "layer" + i + "/layer.tar";
        names.add(name);
        diffIds.add(
            "sha256:" + org.odahu.pack.pydeps.index.PackageFinder.sha256(layers.get(i).tar(false)));
        put(tar, name, layers.get(i).tar(i == 0));
      }
      put(tar, "config.json", json.writeValueAsBytes(config));
      put(
          tar,
          "manifest.json",
          json.writeValueAsBytes(List.of(Map.of("Config", "config.json", "Layers", names))));
    }
    return file;
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    entry.setModTime(FIXED_TIME_MILLIS);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }
}
