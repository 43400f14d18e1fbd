package org.odahu.pack.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.odahu.pack.artifact.files.FileTrees;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.Sandbox;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image unpack|run}: use an image tarball without a container engine. */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    description =
        "Use image tarballs without Docker: unpack them, or run them with bubblewrap (bwrap).",
    subcommands = {ImageCommand.Unpack.class, ImageCommand.Run.class})
final class ImageCommand extends GroupCommand {
  private static final String MARKER = ".odahu-pack-image";

  /** Unpacks {@code image} into {@code rootfs}, unless it already holds exactly this image. */
  static void unpack(ImageTarball image, Path rootfs) throws IOException {
    String id = image.config().toString().hashCode() + ":" + image.layers();
    Path marker = rootfs.resolve(MARKER);
    if (Files.isRegularFile(marker)
        && Files.readString(marker, StandardCharsets.UTF_8).equals(id)) {
      return;
    }
    if (Files.isDirectory(rootfs)) {
      try (Stream<Path> children = Files.list(rootfs)) {
        if (children.findAny().isPresent()) {
          throw new IllegalArgumentException(
              rootfs + " is not empty and holds another image: pick an empty directory");
        }
      }
    }
    image.unpack(rootfs);
    Files.writeString(marker, id, StandardCharsets.UTF_8);
  }

  /** {@code image unpack TARBALL ROOTFS}. */
  @Command(
      name = "unpack",
      mixinStandardHelpOptions = true,
      description = "Unpack an image tarball (docker or OCI) into a root file system.")
  static final class Unpack implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TARBALL")
    Path tarball;

    @Parameters(index = "1", paramLabel = "ROOTFS")
    Path rootfs;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      ImageTarball image = ImageTarball.read(tarball);
      unpack(image, rootfs);
      var out = spec.commandLine().getOut();
      out.println("Unpacked " + image.layers().size() + " layers into " + rootfs);
      out.println("Entrypoint: " + image.config().at("/config/Entrypoint"));
      out.println("Environment: " + image.config().at("/config/Env"));
      out.flush();
      return 0;
    }
  }

  /** {@code image run TARBALL [-e NAME=VALUE]... [-v HOST:CONTAINER[:ro]]... [ARGS]...}. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Run an image tarball's entrypoint with bwrap on the host network (no Docker needed).",
        "Example: odahu-pack image run wine-1.0.tar -e ODAHU_PORT=5001",
        "         odahu-pack image run wine-cli.tar -v $PWD:/io -- predict /io/request.json /io/"
      })
  static final class Run implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TARBALL")
    Path tarball;

    @Parameters(
        index = "1..*",
        paramLabel = "ARGS",
        description = "Arguments after the entrypoint.")
    List<String> arguments = new ArrayList<>();

    @Option(
        names = {"-e", "--env"},
        paramLabel = "NAME=VALUE",
        description = "Environment variable for the container (repeatable).")
    List<String> environment = new ArrayList<>();

    @Option(
        names = {"-v", "--volume"},
        paramLabel = "HOST:CONTAINER[:ro]",
        converter = VolumeConverter.class,
        description =
            "Bind a host file or directory into the container, read-only with :ro (repeatable).")
    List<Sandbox.Mount> volumes = new ArrayList<>();

    @Option(
        names = "--rootfs",
        description =
            "Where to unpack (kept and reused); default: a temporary directory removed on exit.")
    Path rootfs;

    @Override
    public Integer call() throws IOException, InterruptedException {
      for (String variable : environment) {
        if (variable.indexOf('=') < 1) {
          throw new IllegalArgumentException("-e takes NAME=VALUE, got " + variable);
        }
      }
      ImageTarball image = ImageTarball.read(tarball);
      boolean temporary = rootfs == null;
      Path root = temporary ? Files.createTempDirectory("odahu-rootfs-") : rootfs;
      unpack(image, root);
      Process process =
          Sandbox.command(
                  root,
                  image.config(),
                  Sandbox.entrypoint(image.config(), arguments),
                  environment,
                  volumes)
              .inheritIO()
              .start();
      // Stopping odahu-pack (Ctrl-C, SIGTERM) stops the container and removes what it unpacked.
      Thread cleanup = new Thread(() -> stop(process, temporary ? root : null));
      Runtime.getRuntime().addShutdownHook(cleanup);
      int status = process.waitFor();
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        return status; // the hook is cleaning up already
      }
      stop(process, temporary ? root : null);
      return status;
    }

    private static void stop(Process process, Path unpacked) {
      process.destroy();
      try {
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
        if (unpacked != null) {
          FileTrees.delete(unpacked);
        }
      } catch (IOException e) {
        // Leftovers in the temporary directory are harmless.
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * {@code HOST:CONTAINER[:ro|:rw]}, as {@code docker run -v}: the host path must exist (it is
   * resolved to its real path), the container path absolute and without {@code ..}.
   */
  static final class VolumeConverter implements CommandLine.ITypeConverter<Sandbox.Mount> {
    @Override
    public Sandbox.Mount convert(String value) {
      String[] parts = value.split(":", -1);
      if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
        throw new CommandLine.TypeConversionException(
            "expected HOST:CONTAINER or HOST:CONTAINER:ro, got '" + value + "'");
      }
      if (parts.length == 3 && !parts[2].equals("ro") && !parts[2].equals("rw")) {
        throw new CommandLine.TypeConversionException(
            "the mode after the container path must be ro or rw, got '" + parts[2] + "'");
      }
      Path host;
      try {
        host = Path.of(parts[0]).toRealPath();
      } catch (IOException | java.nio.file.InvalidPathException e) {
        throw new CommandLine.TypeConversionException(
            "the host path " + parts[0] + " does not exist");
      }
      try {
        return new Sandbox.Mount(host, parts[1], parts.length == 3 && parts[2].equals("ro"));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
