package org.odahu.pack.packager.image;

/**
 * A base image and what identifies it, for an image's {@code org.opencontainers.image.base.*}
 * labels.
 *
 * @param image the base to build on: a registry base pinned to {@code digest}, so the image is
 *     built on exactly what its labels say
 * @param name its reference ({@code docker.io/library/python:3.11}), or {@code null} when it has
 *     none (a tarball without a recorded name: its path on this machine names nothing elsewhere)
 * @param digest the digest its reference resolved to (for a {@code docker save} tarball, its image
 *     id), or {@code null}
 */
public record ResolvedBase(BaseImage image, String name, String digest) {}
