package org.odahu.pack.baseimages.testing;

import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.baseimages.DebianPythonBase;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.layout.ImageLayout;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.run.Packager;
import org.odahu.pack.packager.testing.TestPackagers;

/** Packagers for tests, on the default base image (built once per machine, then cached). */
public final class TestBase {
  private TestBase() {}

  /** The default base image recipe with the user's cache. */
  public static DebianPythonBase recipe(PackagingListener listener) {
    return new DebianPythonBase(
        TestPackagers.cacheDirectory(), "http://deb.debian.org/debian", listener);
  }

  /** A packager building {@code layout} images on the default base. */
  public static Packager packager(ImageLayout layout, PackagingListener listener) {
    return packager(layout, listener, false);
  }

  /** A packager that may also use plain HTTP for non-loopback registries when told so. */
  public static Packager packager(
      ImageLayout layout, PackagingListener listener, boolean allowInsecureRegistries) {
    return new Packager(
        TestPackagers.settings(recipe(listener)::ensure, allowInsecureRegistries),
        ImageLayouts.of(layout),
        ExitCleanup.manual(),
        listener);
  }
}
