package org.odahu.pack.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code odahu-pack} command: packages ODAHU models into OCI images and serves them. */
@Command(
    name = "odahu-pack",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Package ODAHU trained models into OCI images without a Docker daemon, and serve them.")
public final class OdahuPack implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new OdahuPack()).execute(args));
  }
}
