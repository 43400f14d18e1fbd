package org.odahu.pack.pydeps.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Digests of whole directory trees: paths, kinds, modes, modification times and contents. */
public final class Trees {
  private Trees() {}

  /** One digest of everything in {@code root} that a layer would hold. */
  public static String digest(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path path : all.sorted().toList()) {
        String line =
            root.relativize(path)
                + "|"
                + (Files.isSymbolicLink(path) ? "link" : Files.isDirectory(path) ? "dir" : "file")
                + "|"
                + PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS))
                + "|"
                + Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis()
                + "\n";
        sha.update(line.getBytes(StandardCharsets.UTF_8));
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          sha.update(Files.readAllBytes(path));
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every path below {@code root}, relative, sorted. */
  public static List<String> list(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.map(p -> root.relativize(p).toString())
          .filter(p -> !p.isEmpty())
          .sorted()
          .toList();
    }
  }

  /** The total size of the regular files below {@code root}. */
  public static long size(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      long total = 0;
      for (Path path : all.filter(Files::isRegularFile).toList()) {
        total += Files.size(path);
      }
      return total;
    }
  }
}
