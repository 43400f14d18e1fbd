package org.odahu.pack.server.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.server.ServerMain;

/** The command line that runs {@link ServerMain} (the images' entrypoint) in a JVM of its own. */
public final class ServerMainCommand {
  private ServerMainCommand() {}

  /** {@code java ... ServerMain ARGS} on the tests' class path. */
  public static List<String> of(String... args) {
    return withClassPath(System.getProperty("java.class.path"), args);
  }

  /** {@code java ... ServerMain ARGS} on {@code classPath}. */
  public static List<String> withClassPath(String classPath, String... args) {
    return java(classPath, ServerMain.class, args);
  }

  /** {@code java ... MAIN ARGS} on {@code classPath}: another entry point, e.g. the images'. */
  public static List<String> java(String classPath, Class<?> main, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                classPath,
                main.getName()));
    command.addAll(List.of(args));
    return command;
  }
}
