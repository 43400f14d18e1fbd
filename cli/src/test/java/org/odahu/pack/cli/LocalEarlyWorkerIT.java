package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.testing.Trees;

/**
 * Through the distribution's launcher, {@code predict} and {@code info} start their model's worker
 * while the command line is built and parsed, use that process, and leave none behind when the
 * command fails after it started.
 */
class LocalEarlyWorkerIT {
  private static final Pattern TAKEN =
      Pattern.compile("worker-1 takes over the Python process started early, pid (\\d+)");

  @TempDir Path temp;

  private static Optional<String> earlyPid(String output) {
    Matcher matcher = TAKEN.matcher(output);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  @Test
  void predictAndInfoRunTheWorkerStartedEarly() throws Exception {
    String python = "--python=" + Examples.python();
    String wine = Examples.artifact("wine").toString();
    Launcher.Result predict =
        Launcher.run(
            Launcher.builder(
                "odahu-pack",
                List.of(
                    "predict",
                    wine,
                    Examples.data("wine-request.json").toString(),
                    temp.toString(),
                    python,
                    "--verbose")));
    assertEquals(0, predict.status(), predict.output());
    assertTrue(earlyPid(predict.output()).isPresent(), predict.output());
    assertTrue(
        predict.output().contains("worker-1 (pid " + earlyPid(predict.output()).get() + ")"),
        predict.output());
    OdahuPackIT.assertWinePrediction(Files.readString(temp.resolve("results.json")));

    Launcher.Result info =
        Launcher.run(Launcher.builder("odahu-pack", List.of("info", wine, python, "--verbose")));
    assertEquals(0, info.status(), info.output());
    assertTrue(earlyPid(info.output()).isPresent(), info.output());
    assertTrue(info.output().contains("Input schema:\n{"), info.output());
  }

  @Test
  void aCommandThatFailsAfterTheEarlyStartLeavesNoWorker() throws Exception {
    // The model's interpreter records its pid (exec keeps it) and arguments, then runs the real
    // one.
    Path starts = temp.resolve("starts");
    Path python =
        Examples.pythonAfter(temp.resolve("python"), "echo \"$$ $*\" >> '" + starts + "'");
    Path tmpdir = Files.createDirectories(temp.resolve("tmp"));
    Path file = Files.writeString(temp.resolve("file"), "");
    Path model = temp.resolve("simple");
    Trees.copy(Examples.artifact("simple"), model);

    // The input exists, so the worker starts early; the result's directory is a file.
    ProcessBuilder builder =
        Launcher.builder(
            "odahu-pack",
            List.of(
                "predict",
                model.toString(),
                Examples.data("wine-request.json").toString(),
                file.resolve("out").toString(),
                "--python=" + python));
    builder.environment().put("TMPDIR", tmpdir.toString());
    Launcher.Result failed = Launcher.run(builder);
    assertEquals(1, failed.status(), failed.output());
    assertTrue(failed.output().contains("is not a directory"), failed.output());
    assertTrue(Files.exists(starts), "no early worker was started: " + failed.output());
    for (String start : Files.readAllLines(starts)) {
      assertTrue(start.contains(" " + tmpdir + "/"), "its script is not under $TMPDIR: " + start);
      Optional<ProcessHandle> worker =
          ProcessHandle.of(Long.parseLong(start.substring(0, start.indexOf(' '))));
      long until = System.nanoTime() + 10_000_000_000L;
      while (worker.isPresent() && worker.get().isAlive() && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertFalse(
          worker.isPresent() && worker.get().isAlive(), "it outlived the command: " + start);
    }
    try (var left = Files.list(tmpdir)) {
      assertEquals(List.of(), left.toList(), "temporary files left");
    }
  }
}
