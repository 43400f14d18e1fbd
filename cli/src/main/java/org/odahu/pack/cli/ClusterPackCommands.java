package org.odahu.pack.cli;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.odahu.pack.packager.ImageKind;
import org.odahu.pack.packager.Packager;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.PackagingPlans;
import org.odahu.pack.packager.PackagingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * ODAHU's packager process contract, so odahu-pack can be registered as a PackagingIntegration:
 * {@code <entrypoint> <artifact_dir> <mp.json> [--verbose]}, writing {@code result.json} to the
 * working directory. Unlike ODAHU's packagers it needs no privileged container.
 */
final class ClusterPackCommands {
  private ClusterPackCommands() {}

  /** What both entrypoints share. */
  abstract static class Base implements Callable<Integer> {
    @Mixin VerboseOption verboseOption;

    @Parameters(
        index = "0",
        paramLabel = "ARTIFACT_DIR",
        description = "The unpacked trained artifact.")
    Path artifact;

    @Parameters(
        index = "1",
        paramLabel = "MP_JSON",
        description = "The K8sPackager resource file (mp.json).")
    Path resource;

    @Option(
        names = "--allow-insecure-registries",
        description = "Allow plain HTTP / unverified TLS for non-loopback registries.")
    boolean allowInsecureRegistries;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    abstract ImageKind kind();

    @Override
    public Integer call() {
      PackagingPlan plan = PackagingPlans.cluster(resource);
      if (plan.kind() != kind()) {
        throw new PackagingException(
            resource + " describes a " + plan.integrationId() + " packaging, not " + spec.name());
      }
      ConsoleListener listener =
          new ConsoleListener(spec.commandLine().getErr(), false, verboseOption.verbose);
      PackagingResult result =
          Packagers.create(allowInsecureRegistries, listener)
              .pack(
                  artifact,
                  plan,
                  new Packager.TarballOutput(Path.of("image.tar"), ImageFormat.Docker));
      PackCommand.printResult(spec.commandLine().getOut(), listener, result, Path.of("."));
      return 0;
    }
  }

  /** {@code pack-to-rest ARTIFACT_DIR MP_JSON}. */
  @Command(
      name = "pack-to-rest",
      mixinStandardHelpOptions = true,
      description = "ODAHU packager entrypoint for docker-rest (cluster use).")
  static final class Rest extends Base {
    @Override
    ImageKind kind() {
      return ImageKind.REST;
    }
  }

  /** {@code pack-to-cli ARTIFACT_DIR MP_JSON}. */
  @Command(
      name = "pack-to-cli",
      mixinStandardHelpOptions = true,
      description = "ODAHU packager entrypoint for docker-cli (cluster use).")
  static final class Cli extends Base {
    @Override
    ImageKind kind() {
      return ImageKind.CLI;
    }
  }
}
