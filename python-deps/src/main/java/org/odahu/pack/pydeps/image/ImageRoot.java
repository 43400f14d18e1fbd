package org.odahu.pack.pydeps.image;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Read access to an image's root file system, links never followed: an unpacked directory ({@link
 * DirectoryImageRoot}) or the layers of an image ({@link LayeredImageRoot}). Paths are absolute
 * inside the image ({@code /usr/bin/python3}); {@link ImageFiles} follows links the way a container
 * would, never out of the root.
 */
public interface ImageRoot {

  /** The entry at {@code path}, its last component not followed if a link; empty if absent. */
  Optional<ImageEntry> entry(String path) throws IOException;

  /** The names in directory {@code path} (a directory, not a link), sorted. */
  List<String> list(String path) throws IOException;

  /** Up to {@code maxBytes} of regular file {@code path} (a file, not a link). */
  byte[] read(String path, int maxBytes) throws IOException;
}
