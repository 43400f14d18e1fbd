package org.odahu.pack.packager;

import org.odahu.pack.packager.image.BuiltImage;

/**
 * What packaging produced.
 *
 * @param image the built image
 * @param tarball the tarball written, or {@code null} when pushed
 */
public record PackagingResult(BuiltImage image, java.nio.file.Path tarball) {}
