package org.odahu.pack.packager.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.odahu.pack.packager.PackagingException;

/**
 * Runs a command of an unpacked image with bubblewrap ({@code bwrap}): the image's root file system
 * as {@code /}, fresh /proc and /dev, the image's environment and working directory, the host's
 * network. No container engine needed. {@link #command} runs it as the caller with the root file
 * system writable; {@link #asPod} runs it the way a restricted Kubernetes pod would.
 */
public final class Sandbox {
  /**
   * bwrap by its path on this process's {@code PATH}: the environment it is started with is the
   * image's, whose {@code PATH} a program started before it (such as {@code setsid} or {@code
   * setpriv}) would search.
   */
  private static final String BWRAP =
      SearchPath.find("bwrap", System.getenv().getOrDefault("PATH", ""))
          .map(Path::toString)
          .orElse("bwrap");

  private Sandbox() {}

  /**
   * A process builder for {@code command} inside {@code rootfs}, with {@code config}'s Env and
   * WorkingDir plus {@code extraEnv} ({@code NAME=value}).
   */
  public static ProcessBuilder command(
      Path rootfs, JsonNode config, List<String> command, List<String> extraEnv) {
    return command(rootfs, config, command, extraEnv, List.of());
  }

  /**
   * A host directory or file bound into the container, as {@code docker run -v}.
   *
   * @param host the existing host path
   * @param container where it appears in the container: absolute, without {@code ..}, not {@code /}
   * @param readOnly whether the container may only read it
   */
  public record Mount(Path host, String container, boolean readOnly) {
    public Mount {
      if (!container.startsWith("/") || container.equals("/")) {
        throw new IllegalArgumentException(
            "the container path must be absolute and not /, got '" + container + "'");
      }
      for (String part : container.split("/", -1)) {
        if (part.equals("..")) {
          throw new IllegalArgumentException(
              "the container path must not contain '..', got '" + container + "'");
        }
      }
    }
  }

  /** As {@link #command(Path, JsonNode, List, List)}, with {@code mounts} bound in order. */
  public static ProcessBuilder command(
      Path rootfs,
      JsonNode config,
      List<String> command,
      List<String> extraEnv,
      List<Mount> mounts) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                BWRAP,
                "--bind",
                rootfs.toString(),
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--tmpfs",
                "/tmp",
                "--unshare-pid",
                "--die-with-parent"));
    bind(argv, mounts);
    return process(argv, config, command, extraEnv);
  }

  /**
   * How a pod under Pod Security {@code restricted} with a read-only root file system runs an
   * image: as a numeric non-root user, without capabilities or a way to gain them, the image
   * read-only, writable only where the pod mounts volumes.
   *
   * @param uid the user id
   * @param gid the group id
   * @param emptyDirs paths that get a fresh, empty, writable file system (Kubernetes' emptyDir)
   * @param volumes host directories mounted at their container paths, in order
   */
  public record Pod(int uid, int gid, List<String> emptyDirs, List<Mount> volumes) {
    public Pod {
      if (uid == 0 || gid == 0) {
        throw new IllegalArgumentException("a restricted pod never runs as root");
      }
      emptyDirs = List.copyOf(emptyDirs);
      volumes = List.copyOf(volumes);
    }

    /**
     * The pod odahu-pack's manifests describe for {@code config}'s image: its numeric {@code User}
     * ({@code uid:gid}) and {@code /tmp} as the only writable path. An image that would run as
     * root, or as a user by name, is refused as {@code runAsNonRoot} refuses it.
     */
    public static Pod restricted(JsonNode config) {
      String user = config.path("config").path("User").asText("");
      if (!user.matches("[1-9]\\d{0,8}:[1-9]\\d{0,8}")) {
        throw new PackagingException(
            "The image's user is '"
                + user
                + "': a pod that must run as non-root needs a numeric non-root uid:gid");
      }
      int colon = user.indexOf(':');
      return new Pod(
          Integer.parseInt(user.substring(0, colon)),
          Integer.parseInt(user.substring(colon + 1)),
          List.of("/tmp"),
          List.of());
    }

    /** This pod with only {@code paths} as emptyDirs. */
    public Pod withEmptyDirs(String... paths) {
      return new Pod(uid, gid, List.of(paths), volumes);
    }

    /** This pod with {@code host} mounted writable at {@code path}. */
    public Pod withVolume(String path, Path host) {
      List<Mount> more = new ArrayList<>(volumes);
      more.add(new Mount(host, path, false));
      return new Pod(uid, gid, emptyDirs, more);
    }
  }

  /**
   * A process builder for {@code command} inside {@code rootfs} run as {@code pod} says, with
   * {@code config}'s Env and WorkingDir plus {@code extraEnv}. Run by root, the sandbox first
   * becomes the pod's user on the host too ({@code setpriv}), so that the image's files, owned by
   * root, are someone else's, as in a pod; every directory above {@code rootfs} and the volumes
   * must then be searchable by others. Run by another user, that user is the pod's user inside the
   * sandbox. Missing mount points are created in {@code rootfs}, as a container runtime does.
   */
  public static ProcessBuilder asPod(
      Path rootfs, JsonNode config, List<String> command, List<String> extraEnv, Pod pod) {
    boolean root = hostUid() == 0;
    List<String> argv = new ArrayList<>();
    if (root) {
      argv.addAll(
          List.of(
              "setpriv", "--reuid=" + pod.uid(), "--regid=" + pod.gid(), "--clear-groups", "--"));
    }
    argv.addAll(
        List.of(
            BWRAP,
            "--unshare-user",
            "--uid",
            Integer.toString(pod.uid()),
            "--gid",
            Integer.toString(pod.gid()),
            "--unshare-pid",
            "--unshare-ipc",
            "--die-with-parent",
            "--cap-drop",
            "ALL",
            "--ro-bind",
            rootfs.toString(),
            "/",
            "--proc",
            "/proc",
            "--dev",
            "/dev"));
    List<String> mountPoints = new ArrayList<>(pod.emptyDirs());
    for (String emptyDir : pod.emptyDirs()) {
      argv.addAll(List.of("--tmpfs", emptyDir));
    }
    bind(argv, pod.volumes());
    for (Mount volume : pod.volumes()) {
      mountPoints.add(volume.container());
      if (root) {
        requireSearchable(volume.host());
      }
    }
    if (root) {
      requireSearchable(rootfs);
    }
    createMountPoints(rootfs, mountPoints);
    return process(argv, config, command, extraEnv);
  }

  private static void bind(List<String> argv, List<Mount> mounts) {
    for (Mount mount : mounts) {
      argv.addAll(
          List.of(
              mount.readOnly() ? "--ro-bind" : "--bind",
              mount.host().toString(),
              mount.container()));
    }
  }

  /**
   * Adds the image's environment, working directory and the command. The variables' values reach
   * the command through bwrap's own environment, not its arguments, which every user of the host
   * can read ({@code ps}, {@code /proc/PID/cmdline}) for as long as the container runs: {@code -e
   * AWS_SECRET_ACCESS_KEY} must not show there. Only the dynamic loader's {@code LD_*} variables,
   * which would change how bwrap itself is loaded on the host, are set with {@code --setenv} for
   * the command alone.
   */
  private static ProcessBuilder process(
      List<String> argv, JsonNode config, List<String> command, List<String> extraEnv) {
    List<String> variables = new ArrayList<>();
    config.path("config").path("Env").forEach(e -> variables.add(e.asText()));
    variables.addAll(extraEnv);
    Map<String, String> env = new LinkedHashMap<>();
    for (String variable : variables) {
      int equals = variable.indexOf('=');
      if (equals < 1) {
        continue; // no NAME=value: nothing to set
      }
      env.put(variable.substring(0, equals), variable.substring(equals + 1));
    }
    Map<String, String> inherited = new LinkedHashMap<>();
    for (Map.Entry<String, String> variable : env.entrySet()) {
      if (variable.getKey().startsWith("LD_")) {
        argv.addAll(List.of("--setenv", variable.getKey(), variable.getValue()));
      } else {
        inherited.put(variable.getKey(), variable.getValue());
      }
    }
    String workdir = config.path("config").path("WorkingDir").asText("/");
    argv.addAll(List.of("--chdir", workdir.isEmpty() ? "/" : workdir));
    argv.add("--"); // the image's command, even one that starts with "--", is no option of bwrap
    argv.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().clear();
    builder.environment().putAll(inherited);
    return builder;
  }

  /**
   * As {@link #command}, with the root file system read-only (as a restricted pod has it, and so
   * that the command cannot change the files it runs from); {@code /tmp} stays writable.
   */
  public static ProcessBuilder readOnlyCommand(
      Path rootfs, JsonNode config, List<String> command, List<String> extraEnv) {
    ProcessBuilder builder = command(rootfs, config, command, extraEnv);
    builder.command().set(1, "--ro-bind");
    return builder;
  }

  private static int hostUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      throw new PackagingException("Cannot tell which user runs this process: " + e, e);
    }
  }

  /** The sandbox, as the pod's user on the host, must reach {@code path}. */
  private static void requireSearchable(Path path) {
    for (Path dir = path.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
      try {
        if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          throw new PackagingException(
              "The sandbox runs as a non-root user and cannot reach "
                  + path
                  + ": make "
                  + dir
                  + " searchable by others (chmod o+x)");
        }
      } catch (IOException e) {
        throw new PackagingException("Cannot read " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  private static void createMountPoints(Path rootfs, List<String> paths) {
    for (String path : paths) {
      Path mountPoint = rootfs.resolve(path.replaceFirst("^/+", ""));
      try {
        Files.createDirectories(mountPoint);
      } catch (IOException e) {
        throw new PackagingException("Cannot create the mount point " + mountPoint, e);
      }
    }
  }

  /**
   * What {@code docker run IMAGE ARGS...} runs: the image's Entrypoint followed by {@code
   * arguments}, or by its Cmd when there are none.
   *
   * @throws PackagingException when that is nothing: the image names no command and none is given
   */
  public static List<String> entrypoint(JsonNode config, List<String> arguments) {
    List<String> command = new ArrayList<>();
    config.path("config").path("Entrypoint").forEach(part -> command.add(part.asText()));
    if (arguments.isEmpty()) {
      config.path("config").path("Cmd").forEach(part -> command.add(part.asText()));
    } else {
      command.addAll(arguments);
    }
    if (command.isEmpty()) {
      throw new PackagingException(
          "The image has no Entrypoint and no Cmd: give the command to run after the tarball"
              + " (e.g. /bin/sh -c 'ls /')");
    }
    return command;
  }

  /**
   * What a command printed.
   *
   * @param stdout its standard output
   * @param stderr its standard error
   */
  public record Output(String stdout, String stderr) {}

  /** Runs to completion and returns what it printed; fails on a non-zero exit. */
  public static Output run(ProcessBuilder builder) throws IOException, InterruptedException {
    Path stderr = Files.createTempFile("odahu-sandbox-", ".stderr");
    try {
      Process process = builder.redirectError(stderr.toFile()).start();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = process.waitFor();
      Output output = new Output(stdout, Files.readString(stderr, StandardCharsets.UTF_8));
      if (status != 0) {
        throw new PackagingException(
            "The image's command exited with "
                + status
                + ":\n"
                + output.stdout()
                + output.stderr());
      }
      return output;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
