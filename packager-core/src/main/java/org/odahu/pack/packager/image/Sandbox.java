package org.odahu.pack.packager.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.packager.PackagingException;

/**
 * Runs a command of an unpacked image with bubblewrap ({@code bwrap}): the image's root file system
 * as {@code /}, fresh /proc, /dev and /tmp, the image's environment and working directory, the
 * host's network. No container engine needed.
 */
public final class Sandbox {
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
                "bwrap",
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
                "--die-with-parent",
                "--clearenv"));
    for (Mount mount : mounts) {
      argv.addAll(
          List.of(
              mount.readOnly() ? "--ro-bind" : "--bind",
              mount.host().toString(),
              mount.container()));
    }
    List<String> env = new ArrayList<>();
    config.path("config").path("Env").forEach(e -> env.add(e.asText()));
    env.addAll(extraEnv);
    for (String variable : env) {
      int equals = variable.indexOf('=');
      argv.addAll(
          List.of("--setenv", variable.substring(0, equals), variable.substring(equals + 1)));
    }
    String workdir = config.path("config").path("WorkingDir").asText("/");
    argv.addAll(List.of("--chdir", workdir.isEmpty() ? "/" : workdir));
    argv.addAll(command);
    return new ProcessBuilder(argv);
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

  /** The image's entrypoint followed by {@code arguments}. */
  public static List<String> entrypoint(JsonNode config, List<String> arguments) {
    List<String> command = new ArrayList<>();
    config.path("config").path("Entrypoint").forEach(part -> command.add(part.asText()));
    command.addAll(arguments);
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
