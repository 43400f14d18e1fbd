package org.odahu.pack.cli;

import picocli.CommandLine.IVersionProvider;

/** The version picocli prints for {@code --version}: {@link ProductVersion}'s lines. */
public final class VersionProvider implements IVersionProvider {

  /** The product version, e.g. {@code 0.1.0}. */
  public static String version() {
    return ProductVersion.version();
  }

  @Override
  public String[] getVersion() {
    return ProductVersion.lines().toArray(String[]::new);
  }
}
