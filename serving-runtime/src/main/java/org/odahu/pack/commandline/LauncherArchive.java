package org.odahu.pack.commandline;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The distribution launcher's class-data-sharing archive, written by a run that did what its
 * command usually does. The launcher starts a JVM without an archive with {@code
 * -XX:+RecordDynamicDumpInfo -Dodahu.cds.archive=PATH}; when that run ends well ({@link
 * Executables#main} exits with 0 and nothing called {@link #unrepresentative}) the JVM's loaded
 * classes are dumped to PATH, and every later run of the same distribution and kind of command maps
 * them. The JDK's own {@code -XX:+AutoCreateSharedArchive} dumps whatever the first run loaded: a
 * {@code serve} that failed early (say, on a taken port) left an archive of half the server's
 * classes for good (its JVM used 1.5–1.7 s of CPU before wine's first answer instead of 1.1–1.3 s).
 *
 * <p>The dump takes about a second, once, at the end of that run; it goes to a file of its own and
 * is renamed into place, so concurrent first runs never leave a torn archive. Any failure just
 * leaves no archive: the next run tries again.
 *
 * <p>Once the server has such an archive, on Java 25 and later the launcher moves it on to an
 * ahead-of-time cache ({@link AheadOfTimeCache}).
 */
public final class LauncherArchive {
  /** Where the archive goes; the launcher sets it only when the archive does not exist yet. */
  static final String PROPERTY = "odahu.cds.archive";

  /**
   * The free space a dump needs: an archive is 15-30 MB, and the JDK ends the whole process (exit
   * 1, its error on stdout) when a dump cannot be written, so a full disk would fail every command.
   */
  static final long MIN_FREE_BYTES = 256L << 20;

  private static volatile boolean representative = true;

  private LauncherArchive() {}

  /**
   * This run did not do what the command usually does (say, a server that answered no prediction):
   * the classes it loaded would make a poor archive for the runs after it.
   */
  public static void unrepresentative() {
    representative = false;
  }

  /** Dumps the archive if the launcher asked for one and the run ended with {@code exitCode} 0. */
  public static void dumpIfAsked(int exitCode) {
    String cache = System.getProperty(AheadOfTimeCache.PROPERTY);
    if (cache != null) {
      AheadOfTimeCache.createAfterExit(Path.of(cache), exitCode == 0 && representative);
      return;
    }
    String target = System.getProperty(PROPERTY);
    if (target == null || exitCode != 0 || !representative) {
      return;
    }
    Path archive = Path.of(target);
    if (Files.exists(archive)) {
      return;
    }
    if (!hasRoom(archive.getParent(), MIN_FREE_BYTES)) {
      log().log(System.Logger.Level.DEBUG, "No class-data archive: too little free space");
      return;
    }
    Path partial =
        archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid());
    long started = System.nanoTime();
    try {
      DiagnosticCommand.dynamicDump(partial);
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
      log()
          .log(
              System.Logger.Level.DEBUG,
              "Wrote the class-data archive {0} in {1} ms",
              archive,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (IOException | JMException | RuntimeException | LinkageError e) {
      log().log(System.Logger.Level.DEBUG, "No class-data archive: " + e);
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // Only an optimisation; a leftover is replaced by the next attempt of this process id.
      }
    }
  }

  /** Whether {@code directory}'s file system has {@code bytes} free for this user. */
  static boolean hasRoom(Path directory, long bytes) {
    try {
      return Files.getFileStore(directory).getUsableSpace() >= bytes;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Asked for only here: the first logger makes the JDK look through every jar for a logging
   * backend (50–70 ms), which every command would otherwise pay as it exits.
   */
  static System.Logger log() {
    return System.getLogger(LauncherArchive.class.getName());
  }

  /**
   * The JDK's {@code jcmd PID VM.cds dynamic_dump FILE}, on this JVM (java.management). The JDK
   * then prints where the archive went on stdout, which is the command's output: that line, and
   * only that line, is dropped.
   */
  private static final class DiagnosticCommand {
    private static final String JDK_REPORT = "The process was attached by jcmd and dumped";

    static void dynamicDump(Path file) throws JMException {
      PrintStream out = System.out;
      System.setOut(
          new PrintStream(out, true) {
            @Override
            public void println(String line) {
              if (line == null || !line.startsWith(JDK_REPORT)) {
                super.println(line);
              }
            }
          });
      try {
        ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "vmCds",
                new Object[] {new String[] {"dynamic_dump", quoted(file.toString())}},
                new String[] {String[].class.getName()});
      } finally {
        System.setOut(out);
      }
    }

    /**
     * {@code path} as one argument of a diagnostic command, whose arguments are split on spaces
     * unless quoted (a cache under a directory such as {@code My Files}).
     */
    static String quoted(String path) {
      if (!path.contains("\"")) {
        return '"' + path + '"';
      }
      if (!path.contains("'")) {
        return "'" + path + "'";
      }
      throw new IllegalArgumentException("a path with both kinds of quotes: " + path);
    }
  }
}
