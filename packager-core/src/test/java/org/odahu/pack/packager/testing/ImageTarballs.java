package org.odahu.pack.packager.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** What an image tarball holds, to tell Docker's {@code docker save} format from OCI's layout. */
public final class ImageTarballs {
  private ImageTarballs() {}

  /** The names of the tarball's entries, without a leading {@code ./}. */
  public static Set<String> entryNames(Path tarball) throws IOException {
    Set<String> names = new TreeSet<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tarball)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        names.add(
            entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName());
      }
    }
    return names;
  }
}
