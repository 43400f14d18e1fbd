package org.odahu.pack.packager.image;

/**
 * The result of a build.
 *
 * @param reference the image reference (with registry when pushed)
 * @param digest the manifest digest, e.g. {@code sha256:...}
 * @param imageId the image id (config digest)
 * @param pushed whether it went to a registry
 */
public record BuiltImage(String reference, String digest, String imageId, boolean pushed) {}
