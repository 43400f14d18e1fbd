package org.odahu.pack.packager.run;

import java.nio.file.Path;
import org.odahu.pack.packager.image.BuiltImage;

/**
 * What packaging produced.
 *
 * @param image the built image
 * @param tarball the tarball written, or {@code null} when pushed
 */
public record PackagingResult(BuiltImage image, Path tarball) {}
