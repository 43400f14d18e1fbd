package org.odahu.pack.commandline;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's ahead-of-time cache (JDK 25), made from a run that did what a server does. The
 * launcher starts a server that has a class-data archive but no cache with {@code
 * -XX:AOTMode=record -XX:AOTConfiguration=CACHE.PID.config -Dodahu.aot.cache=CACHE}. The JVM writes
 * that recording as it exits, however the run ended and after the last Java code, so a process
 * started here waits until this JVM has gone, then assembles the cache from the recording if the
 * run ended well (at the lowest priority, ~3 s of CPU, into a file of its own renamed into place),
 * and deletes the recording in any case. Any failure just leaves no cache: a later run records
 * again.
 */
final class AheadOfTimeCache {
  /** Where the cache goes; the launcher sets it only for a run that records. */
  static final String PROPERTY = "odahu.aot.cache";

  /**
   * Arguments: this JVM's process id, the recording, the cache, yes or no (assemble it), then the
   * java command. Deaf to the signals a terminal or a service manager sends the server's group as
   * it stops (the JVM keeps them ignored too). Waits while /proc shows the process, neither gone
   * nor a zombie (its parent may reap it late), for ten minutes at most.
   */
  private static final String SCRIPT =
      """
      trap '' HUP INT TERM
      pid=$1 recording=$2 cache=$3 assemble=$4
      shift 4
      tries=0
      while [ "$tries" -lt 6000 ] && read -r stat < "/proc/$pid/stat"; do
        state=${stat##*") "}
        [ "${state%% *}" = Z ] && break
        tries=$((tries + 1))
        sleep 0.1
      done
      if [ "$assemble" = yes ] && [ -s "$recording" ]; then
        nice -n 19 "$@" -XX:AOTMode=create "-XX:AOTConfiguration=$recording" \\
          "-XX:AOTCache=$cache.$pid" '-Xlog:cds*=off' '-Xlog:aot*=off' \\
          && mv -f "$cache.$pid" "$cache"
      fi
      rm -f "$recording" "$cache.$pid"
      """;

  private AheadOfTimeCache() {}

  /** Starts the process that makes {@code cache} from this run's recording if {@code assemble}. */
  static void createAfterExit(Path cache, boolean assemble) {
    long pid = ProcessHandle.current().pid();
    Path recording = cache.resolveSibling(cache.getFileName() + "." + pid + ".config");
    boolean room =
        assemble && LauncherArchive.hasRoom(cache.getParent(), LauncherArchive.MIN_FREE_BYTES);
    List<String> command =
        new ArrayList<>(
            List.of(
                "/bin/sh",
                "-c",
                SCRIPT,
                "sh",
                Long.toString(pid),
                recording.toString(),
                cache.toString(),
                room ? "yes" : "no",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    try {
      new ProcessBuilder(command)
          .redirectInput(Redirect.from(new File("/dev/null")))
          .redirectOutput(Redirect.DISCARD)
          .redirectError(Redirect.DISCARD)
          .start();
    } catch (IOException | RuntimeException e) {
      // The recording stays until the distribution's next build sweeps it.
      LauncherArchive.log().log(System.Logger.Level.DEBUG, "No ahead-of-time cache: " + e);
    }
  }

  /**
   * This JVM's options for the JVM that assembles the cache, which must match it (the collector,
   * native access, the heap's layout), without those that record, log, write files or load agents.
   */
  static List<String> jvmOptions(List<String> options) {
    return options.stream()
        .filter(
            option ->
                !option.startsWith("-D")
                    && !option.startsWith("-Xlog")
                    && !option.startsWith("-XX:AOT")
                    && !option.startsWith("-XX:SharedArchiveFile")
                    && !option.startsWith("-XX:StartFlightRecording")
                    && !option.startsWith("-XX:FlightRecorderOptions")
                    && !option.startsWith("-agent")
                    && !option.startsWith("-javaagent")
                    && !option.equals("-XX:+DisplayVMOutputToStderr"))
        .toList();
  }
}
