package org.odahu.pack.packager.layout;

import java.util.Optional;
import org.odahu.pack.packager.image.ClassPathJar;

/**
 * Where an image's Java finds its classes: the runtime jars through the {@link ClassPathJar} beside
 * them, and the class-data archive, when the image has one.
 *
 * @param archive the class-data archive's path in the image, if any
 */
public record RuntimeClasses(Optional<String> archive) {
  /** The class path of every image: the class-path jar, which names the others in order. */
  public static final String CLASS_PATH = ImageParts.LIB + "/" + ClassPathJar.FILE_NAME;
}
