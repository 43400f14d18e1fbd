package org.odahu.pack.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.odahu.pack.baseimages.DebianPythonBase;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.BuiltImage;
import org.odahu.pack.packager.image.ImageBuilder;
import org.odahu.pack.packager.image.ImageDestination;
import org.odahu.pack.server.metrics.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code base-image build}: the default Debian + Python base image, built once and cached. */
@Command(
    name = "base-image",
    mixinStandardHelpOptions = true,
    description =
        "Manage odahu-pack's default base image (Debian 12 + python3, numpy, scikit-learn, pandas).",
    subcommands = BaseImageCommand.Build.class)
final class BaseImageCommand extends GroupCommand {

  /** {@code base-image build [--force] [--mirror URL] [--push REF]}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = "Build (or reuse) the default base image tarball; optionally push it.")
  static final class Build implements Callable<Integer> {
    @Mixin VerboseOption verboseOption;

    @Option(names = "--force", description = "Rebuild even if cached.")
    boolean force;

    @Option(
        names = "--mirror",
        defaultValue = Packagers.DEBIAN_MIRROR_DEFAULT,
        description = "Debian mirror for debootstrap (default ${DEFAULT-VALUE}).")
    String mirror;

    @Option(
        names = "--push",
        paramLabel = "REFERENCE",
        description = "Also push it, e.g. registry.example.com/odahu/python-base:1.")
    String push;

    @Option(
        names = "--allow-insecure-registries",
        description = "Allow plain HTTP / unverified TLS for non-loopback registries.")
    boolean allowInsecureRegistries;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      ConsoleListener listener =
          ConsoleListener.create(spec.commandLine().getErr(), verboseOption.verbose);
      DebianPythonBase recipe = new DebianPythonBase(Packagers.cacheDirectory(), mirror, listener);
      if (force) {
        Files.deleteIfExists(recipe.tarball());
      }
      BaseImage base = recipe.ensure();
      spec.commandLine()
          .getOut()
          .printf("Base image: %s (%,d bytes)%n", base.tarball(), Files.size(base.tarball()));
      if (push != null) {
        BuiltImage pushed =
            new ImageBuilder(
                    Packagers.cacheDirectory().resolve("jib"), listener, BuildInfo.version())
                .copy(base, new ImageDestination.Registry(push, null, allowInsecureRegistries));
        spec.commandLine()
            .getOut()
            .println("Pushed: " + pushed.reference() + "@" + pushed.digest());
        spec.commandLine()
            .getOut()
            .println("Use it with the argument dockerfileBaseImage: " + pushed.reference());
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
