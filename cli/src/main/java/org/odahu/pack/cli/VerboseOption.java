package org.odahu.pack.cli;

import picocli.CommandLine.Option;

/** {@code --verbose} on every command: debug logging and stack traces (read by the launcher). */
public final class VerboseOption {
  @Option(names = "--verbose", description = "Debug logging; stack traces on errors.")
  boolean verbose;
}
