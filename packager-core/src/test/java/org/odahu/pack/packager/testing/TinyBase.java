package org.odahu.pack.packager.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A small base image as a {@code docker save} tarball (one layer with {@code /etc/os-release} and
 * {@code /tmp}), for building images with Jib without a registry or the real base. The same bytes
 * every time.
 */
public final class TinyBase {
  private TinyBase() {}

  /** Writes the tarball at {@code tarball}, its repository tag {@code tag} (or none if null). */
  public static Path write(Path tarball, String tag) throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    MessageDigest diffId = sha256();
    try (OutputStream compressed = new GZIPOutputStream(gz);
        DigestOutputStream uncompressed = new DigestOutputStream(compressed, diffId);
        TarArchiveOutputStream layer = new TarArchiveOutputStream(uncompressed)) {
      TarArchiveEntry tmp = new TarArchiveEntry("tmp/");
      tmp.setMode(01777);
      tmp.setModTime(0);
      layer.putArchiveEntry(tmp);
      layer.closeArchiveEntry();
      add(layer, "etc/os-release", "ID=tiny\n".getBytes(StandardCharsets.UTF_8));
    }
    byte[] layerBytes = gz.toByteArray();
    String config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"]},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
            + HexFormat.of().formatHex(diffId.digest())
            + "\"]},\"history\":[{\"created_by\":\"tiny\"}]}";
    String repoTags = tag == null ? "" : ",\"RepoTags\":[\"" + tag + "\"]";
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(tarball))) {
      add(
          tar,
          "manifest.json",
          ("[{\"Config\":\"config.json\"" + repoTags + ",\"Layers\":[\"layer.tar.gz\"]}]")
              .getBytes(StandardCharsets.UTF_8));
      add(tar, "config.json", config.getBytes(StandardCharsets.UTF_8));
      add(tar, "layer.tar.gz", layerBytes);
    }
    return tarball;
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    entry.setMode(0644);
    entry.setModTime(0);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
