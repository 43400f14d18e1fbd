package org.odahu.pack.cli;

import picocli.CommandLine.IVersionProvider;

/** The version picocli prints for {@code --version}: {@link ProductVersion}'s lines. */
public final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return ProductVersion.lines().toArray(String[]::new);
  }
}
