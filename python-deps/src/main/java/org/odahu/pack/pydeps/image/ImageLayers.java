package org.odahu.pack.pydeps.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The layers of an image, base first, each a tar stream (gzip-compressed or not). The packager
 * implements this over the blobs it already pulled; {@link ImageTarballLayers} reads a {@code
 * docker save} or OCI tarball.
 */
public interface ImageLayers {

  /** One layer's blob. */
  interface Layer {
    /** A readable name for errors (e.g. its digest). */
    String name();

    /** Opens the layer's tar stream, compressed or not. */
    InputStream open() throws IOException;
  }

  /** The layers, base first. */
  List<Layer> layers();
}
