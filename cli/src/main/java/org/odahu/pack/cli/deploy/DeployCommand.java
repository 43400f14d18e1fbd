package org.odahu.pack.cli.deploy;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code deploy}: what runs odahu-pack images beyond one machine. */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = "Run odahu-pack images in a cluster.",
    subcommands = ManifestsCommand.class)
public final class DeployCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
