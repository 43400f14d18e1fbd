package org.odahu.pack.cli;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.run.Packager;
import org.odahu.pack.packager.run.PackagingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * ODAHU's packager process contract, so odahu-pack can be registered as a PackagingIntegration:
 * {@code <entrypoint> <artifact_dir> <mp.json> [--verbose]}, writing {@code result.json} to the
 * working directory. Unlike ODAHU's packagers it needs no privileged container. {@code
 * pack-to-image} builds whatever image layout mp.json's integration names, so a new layout needs no
 * command of its own; {@code pack-to-rest} and {@code pack-to-cli} are the entrypoints of the
 * integrations registered before it, and check that mp.json asks for their image.
 */
final class ClusterPackCommands {
  private ClusterPackCommands() {}

  /** What every entrypoint shares. */
  abstract static class Base implements Callable<Integer> {
    @Mixin VerboseOption verboseOption;
    @Mixin PackagingOptions packagingOptions;

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

    /** The layout this entrypoint builds, or {@code null} for whichever mp.json names. */
    abstract String layout();

    @Override
    public Integer call() {
      PackagingPlan plan = Packagers.plans().cluster(resource);
      if (layout() != null && !layout().equals(plan.layoutId())) {
        throw new PackagingException(
            resource + " describes a " + plan.integrationId() + " packaging, not " + spec.name());
      }
      ConsoleListener listener =
          new ConsoleListener(spec.commandLine().getErr(), false, verboseOption.verbose);
      Path tarball = Path.of("image.tar");
      if (plan.push() == null) {
        // In a cluster's packaging pod the working directory goes with the pod.
        listener.warning(
            resource
                + " names no docker-push target: the image is not pushed, only written to "
                + tarball.toAbsolutePath());
      }
      PackagingResult result;
      try (ExitCleanup cleanup = ExitCleanup.atExit()) {
        result =
            Packagers.create(allowInsecureRegistries, packagingOptions, cleanup, listener)
                .pack(
                    artifact,
                    plan,
                    new Packager.TarballOutput(tarball, ImageFormat.Docker),
                    Path.of("."),
                    List.of(resource));
      }
      PackCommand.printResult(spec.commandLine().getOut(), listener, result);
      return 0;
    }
  }

  /** {@code pack-to-image ARTIFACT_DIR MP_JSON}: the image mp.json's integration names. */
  @Command(
      name = "pack-to-image",
      mixinStandardHelpOptions = true,
      description = "ODAHU packager entrypoint for any odahu-pack integration (cluster use).")
  static final class AnyLayout extends Base {
    @Override
    String layout() {
      return null;
    }
  }

  /** {@code pack-to-rest ARTIFACT_DIR MP_JSON}. */
  @Command(
      name = "pack-to-rest",
      mixinStandardHelpOptions = true,
      description = "ODAHU packager entrypoint for docker-rest (cluster use).")
  static final class Rest extends Base {
    @Override
    String layout() {
      return "docker-rest";
    }
  }

  /** {@code pack-to-cli ARTIFACT_DIR MP_JSON}. */
  @Command(
      name = "pack-to-cli",
      mixinStandardHelpOptions = true,
      description = "ODAHU packager entrypoint for docker-cli (cluster use).")
  static final class Cli extends Base {
    @Override
    String layout() {
      return "docker-cli";
    }
  }
}
