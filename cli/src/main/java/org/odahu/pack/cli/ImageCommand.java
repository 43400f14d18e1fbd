package org.odahu.pack.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.odahu.pack.artifact.files.DiskSpace;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.files.FileTrees;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.Sandbox;
import org.odahu.pack.server.StopSignals;
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

  /**
   * Written into the empty {@code --rootfs} before unpacking and removed once done: found there, it
   * proves that what the directory holds is an interrupted unpack of odahu-pack's own.
   */
  private static final String UNPACKING = ".odahu-pack-unpacking";

  private static final String UNPACKING_CONTENT = "odahu-pack: unpacking ";

  /** Unpacks {@code image} into {@code rootfs}, unless it already holds exactly this image. */
  static void unpack(ImageTarball image, Path rootfs) throws IOException {
    unpack(image, rootfs, () -> false, message -> {});
  }

  /**
   * As {@link #unpack(ImageTarball, Path)}, giving up early once {@code stopping} says so; an
   * unpack that was interrupted (killed, stopped) is cleared and done again, saying so to {@code
   * notice}.
   */
  static void unpack(
      ImageTarball image, Path rootfs, BooleanSupplier stopping, Consumer<String> notice)
      throws IOException {
    unpack(image, rootfs, new DiskSpace(rootfs, null), stopping, notice);
  }

  /**
   * As {@link #unpack(ImageTarball, Path, BooleanSupplier, Consumer)}, naming {@code space} when
   * its file system fills up.
   */
  static void unpack(
      ImageTarball image,
      Path rootfs,
      DiskSpace space,
      BooleanSupplier stopping,
      Consumer<String> notice)
      throws IOException {
    String id = digest(image.config() + "\n" + image.layers());
    Path marker = rootfs.resolve(MARKER);
    // Never through a link: the image may have put one at the marker's name.
    if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
        && Files.readString(marker, StandardCharsets.UTF_8).equals(id)) {
      return;
    }
    Path unpacking = rootfs.resolve(UNPACKING);
    if (Files.isDirectory(rootfs)) {
      try (Stream<Path> children = Files.list(rootfs)) {
        if (children.findAny().isPresent()) {
          if (!interruptedUnpack(unpacking)) {
            throw new IllegalArgumentException(
                rootfs
                    + (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
                        ? " holds another image: pick an empty directory"
                        : " is not empty: pick an empty directory"));
          }
          notice.accept(
              "The previous unpack into " + rootfs + " was interrupted: unpacking it again");
          FileTrees.clear(rootfs);
        }
      }
    }
    Files.createDirectories(rootfs);
    try {
      Files.writeString(
          unpacking, UNPACKING_CONTENT + id, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      image.unpack(rootfs, space, stopping);
      Files.deleteIfExists(marker); // a link the image put there, not what it points to
      Files.writeString(marker, id, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      Files.deleteIfExists(unpacking); // ours, or what the image put at its name
    } catch (IOException e) {
      throw DiskSpace.exhausted(e) ? new IOException(space.full(), e) : e;
    }
  }

  /**
   * Unpacks {@code image} into {@code rootfs}, a directory the user named and keeps: when the
   * unpack fails (a refused entry, a full disk), the directories this very unpack created (its
   * missing parents too) are deleted, and one that was there is left, saying how to go on when the
   * disk is full.
   */
  static void unpackKept(ImageTarball image, Path rootfs, Consumer<String> notice)
      throws IOException {
    Path made = null; // the outermost directory this unpack creates, parents included
    for (Path path = rootfs.toAbsolutePath();
        path != null && Files.notExists(path, LinkOption.NOFOLLOW_LINKS);
        path = path.getParent()) {
      made = path;
    }
    try {
      unpack(image, rootfs, new DiskSpace(rootfs, null), () -> false, notice);
    } catch (IOException | RuntimeException e) {
      boolean created = made != null && Files.exists(made, LinkOption.NOFOLLOW_LINKS);
      if (created || DiskSpace.exhausted(e)) {
        notice.accept(removeIfCreated(created ? made : rootfs, created));
      }
      throw e;
    }
  }

  /** Deletes the partial {@code rootfs} when {@code created} here; what was done, in words. */
  private static String removeIfCreated(Path rootfs, boolean created) {
    if (created) {
      try {
        FileTrees.delete(rootfs);
        return "Deleted the partial unpack " + rootfs + ", which this command had created";
      } catch (IOException e) {
        // left: said below
      }
    }
    return "The partial unpack is left in "
        + rootfs
        + ": once there is space, run the command again (it starts over), or empty "
        + rootfs;
  }

  /**
   * Whether {@code unpacking} is the marker of an unpack of ours, which wrote it into an empty
   * directory: everything there is then ours to delete. Not a link, and with the content we write
   * (an image may have replaced it with a file of its own: then nothing is deleted).
   */
  private static boolean interruptedUnpack(Path unpacking) throws IOException {
    return Files.isRegularFile(unpacking, LinkOption.NOFOLLOW_LINKS)
        && Files.size(unpacking) < 200
        && Files.readString(unpacking, StandardCharsets.UTF_8).startsWith(UNPACKING_CONTENT);
  }

  private static Consumer<String> notice(CommandLine.Model.CommandSpec spec) {
    return message -> {
      spec.commandLine().getErr().println("[odahu-pack] " + message);
      spec.commandLine().getErr().flush();
    };
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
      unpackKept(image, rootfs, notice(spec));
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
        parameterConsumer = ToTheImage.class,
        description =
            "Arguments after the entrypoint: the first one and everything after it, options"
                + " included, go to the image.")
    List<String> arguments = new ArrayList<>();

    @Option(
        names = {"-e", "--env"},
        paramLabel = "NAME[=VALUE]",
        converter = EnvironmentConverter.class,
        description =
            "Environment variable for the container (repeatable); NAME alone passes this"
                + " process's value of NAME, if it has one.")
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

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
      List<String> environment = environment(this.environment, System.getenv());
      ImageTarball image = ImageTarball.read(tarball);
      // Before unpacking: an image with nothing to run is refused at once.
      List<String> command = Sandbox.entrypoint(image.config(), arguments);
      // Closed last, or by the shutdown hook (Ctrl-C, SIGTERM): the container is stopped, then
      // what was unpacked for it removed, also when unpacking failed half-way.
      try (ExitCleanup cleanup = ExitCleanup.atExit()) {
        Path root;
        if (rootfs == null) {
          ExitCleanup.TemporaryDirectory directory = cleanup.newTemporaryDirectory("odahu-rootfs-");
          root = directory.path();
          // A signal meanwhile deletes the directory, which waits for this write: it stops early.
          directory.write(
              () -> unpack(image, root, DiskSpace.temporary(), directory::removing, notice(spec)));
        } else {
          root = rootfs;
          unpackKept(image, root, notice(spec));
        }
        ProcessBuilder container =
            Sandbox.command(root, image.config(), command, environment, volumes).inheritIO();
        // In a session of its own, as a container of docker run: Ctrl-C at a terminal signals the
        // terminal's whole process group, and bwrap, which forwards no signal, would die of SIGINT
        // and take the container down with SIGKILL (--die-with-parent). setsid forks only when it
        // is a process group leader, which a child of the JVM is not: it execs bwrap in place, and
        // the process started is bwrap.
        container.command().addFirst("setsid");
        // SIGTERM and SIGINT go to the container's main process, as docker run forwards them, and
        // this command exits with its status once it has stopped. Where the JVM keeps the signals,
        // its shutdown hook stops the container the same way (exit status 128 + the signal). The
        // handler is in place before the container starts: a signal that comes as it starts is
        // kept and forwarded once it has, not left to the JVM.
        AtomicReference<Process> running = new AtomicReference<>();
        AtomicReference<String> early = new AtomicReference<>();
        AtomicBoolean signalled = new AtomicBoolean();
        StopSignals.handle(
            name -> {
              Process started = running.get();
              if (started == null) {
                early.compareAndSet(null, name);
              } else {
                stop(started, name, signalled);
              }
            });
        Process process = cleanup.create("the container", container::start, Run::stopping);
        running.set(process);
        String pending = early.get();
        if (pending != null) {
          stop(process, pending, signalled);
        }
        return process.waitFor();
      }
    }

    /** Forwards signal {@code name} to the container; the first one starts its grace period. */
    private static void stop(Process process, String name, AtomicBoolean signalled) {
      signal(process, name);
      if (signalled.compareAndSet(false, true)) {
        Thread.ofPlatform()
            .daemon()
            .name("odahu-container-stop")
            .start(() -> killAfterGracePeriod(process));
      }
    }

    /**
     * {@code -e} as {@code docker run -e}: {@code NAME=VALUE} as given, {@code NAME} alone with
     * {@code caller}'s value of it, and left out when {@code caller} has none.
     */
    static List<String> environment(List<String> given, Map<String, String> caller) {
      List<String> environment = new ArrayList<>();
      for (String variable : given) {
        if (variable.indexOf('=') > 0) {
          environment.add(variable);
        } else if (caller.containsKey(variable)) {
          environment.add(variable + "=" + caller.get(variable));
        }
      }
      return environment;
    }

    /** How long a signalled container may take to stop before it is killed. */
    static final long STOP_SECONDS = 30;

    /**
     * Sends SIGTERM or SIGINT ({@code name}) to the container's main process: bwrap's grandchild
     * (bwrap, then bwrap as the container's pid 1, then the image's command). Before the command
     * has started, bwrap itself gets SIGTERM, and the container dies with it.
     */
    static void signal(Process bwrap, String name) {
      List<ProcessHandle> main = bwrap.children().flatMap(ProcessHandle::children).toList();
      if (main.isEmpty()) {
        bwrap.destroy();
        return;
      }
      for (ProcessHandle process : main) {
        if (name.equals("TERM")) {
          process.destroy(); // SIGTERM, never to a process that reused the pid
        } else {
          try {
            new ProcessBuilder("kill", "-s", name, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
          } catch (IOException e) {
            process.destroy();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
          }
        }
      }
    }

    private static void killAfterGracePeriod(Process bwrap) {
      try {
        if (!bwrap.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
          bwrap.destroyForcibly(); // and --die-with-parent kills the container
        }
      } catch (InterruptedException e) {
        bwrap.destroyForcibly();
      }
    }

    /** Stops the container: SIGTERM to its main process, and SIGKILL after 30 s. */
    private static AutoCloseable stopping(Process process) {
      return () -> {
        if (!process.isAlive()) {
          return;
        }
        signal(process, "TERM");
        try {
          if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          process.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      };
    }
  }

  /** {@code NAME=VALUE} or {@code NAME}: a name, not empty. */
  static final class EnvironmentConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isEmpty() || value.startsWith("=")) {
        throw new CommandLine.TypeConversionException(
            "expected NAME=VALUE or NAME, got '" + value + "'");
      }
      return value;
    }
  }

  /**
   * The image's arguments: from the first one on, everything goes to the image, options included
   * ({@code --help}, {@code --version}, {@code -e}...), as after the image in {@code docker run}.
   */
  static final class ToTheImage implements CommandLine.IParameterConsumer {
    @Override
    public void consumeParameters(
        Stack<String> args,
        CommandLine.Model.ArgSpec argSpec,
        CommandLine.Model.CommandSpec commandSpec) {
      List<String> arguments = new ArrayList<>();
      while (!args.isEmpty()) {
        arguments.add(args.pop());
      }
      argSpec.setValue(arguments);
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
