package org.odahu.pack.packager.layout;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.odahu.pack.packager.image.ClassDataArchive;

/**
 * Where an image's Java finds its classes: the jars, one by one in the order the class-data archive
 * was dumped with (a {@code lib/*} wildcard lists them in whatever order the file system returns),
 * and that archive, when the image has one.
 *
 * @param classPath the jars' paths in the image, in class path order
 * @param archive the class-data archive's path in the image, if any
 */
public record RuntimeClasses(List<String> classPath, Optional<String> archive) {
  public RuntimeClasses {
    classPath = List.copyOf(classPath);
  }

  /** {@code jars} in {@link ImageParts#LIB}, with the archive at {@code archive} if present. */
  public static RuntimeClasses of(List<Path> jars, Optional<String> archive) {
    return new RuntimeClasses(ClassDataArchive.classPath(jars, ImageParts.LIB), archive);
  }
}
