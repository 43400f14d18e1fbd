package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.odahu.pack.packager.PackagingException;

/**
 * A jar holding only a manifest whose {@code Class-Path} names the runtime jars, sorted, relative
 * to the directory it sits in. An image's Java command names this one file instead of the ~70 jars:
 * the order stays fixed, as the class-data archive needs ({@link ClassDataArchive}; a {@code lib/*}
 * wildcard lists the jars in whatever order the file system returns), and the image's
 * configuration, pushed again with every model change, stays small. The same names always give the
 * same bytes: one stored entry with a fixed time.
 */
public final class ClassPathJar {
  /** The jar's name, beside the runtime jars. */
  public static final String FILE_NAME = "odahu-pack-class-path.jar";

  /** Names a {@code Class-Path} lists as they are: a space or a {@code %} would need escaping. */
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._+-]+\\.jar");

  /**
   * A time a ZIP entry holds as it is, in every time zone: MS-DOS times start in 1980, and Java
   * reads 1980-01-01 00:00 itself as "before 1980" and adds the zone's instant.
   */
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

  private ClassPathJar() {}

  /**
   * Writes the jar for {@code jars} into {@code directory}, with the modification time Jib gives
   * every file of a layer (the class-data archive records the time of each class path entry).
   *
   * @throws PackagingException when a jar's name cannot be listed as it is
   */
  public static Path write(Path directory, List<Path> jars) throws IOException {
    Path jar = directory.resolve(FILE_NAME);
    Files.write(jar, bytes(jars));
    Files.setLastModifiedTime(jar, FileTime.from(FileEntriesLayer.DEFAULT_MODIFICATION_TIME));
    return jar;
  }

  static byte[] bytes(List<Path> jars) {
    List<String> names = jars.stream().map(jar -> jar.getFileName().toString()).sorted().toList();
    for (String name : names) {
      if (!PLAIN_NAME.matcher(name).matches() || name.equals(FILE_NAME)) {
        throw new PackagingException(
            "Cannot list the runtime jar "
                + name
                + " in "
                + FILE_NAME
                + ": names are letters, digits and . _ + - ending in .jar, and not its own");
      }
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", names));
    try {
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      manifest.write(content);
      byte[] bytes = content.toByteArray();
      ZipEntry entry = new ZipEntry(JarFile.MANIFEST_NAME);
      entry.setMethod(ZipEntry.STORED); // deflated bytes could differ between zlib versions
      entry.setSize(bytes.length);
      CRC32 crc = new CRC32();
      crc.update(bytes);
      entry.setCrc(crc.getValue());
      entry.setTimeLocal(ENTRY_TIME);
      ByteArrayOutputStream jar = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(jar)) {
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
      }
      return jar.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory
    }
  }
}
