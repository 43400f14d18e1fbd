package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Command-line mistakes are exit code 2 with the message and the usage, found while parsing: no
 * command runs (the artifacts named here do not exist, so a command that ran would fail with 1).
 */
class CommandLineMistakesTest {

  record Run(int status, String out, String err) {}

  static Run odahuPack(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = OdahuPack.commandLine();
    commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int status = commandLine.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "serve nothing.zip --port 70000 | --port | must be between 0 and 65535, got 70000",
        "serve nothing.zip --port -1 | --port | must be between 0 and 65535, got -1",
        "serve nothing.zip --port http | --port | 'http' is not a whole number",
        "serve nothing.zip --workers 0 | --workers | must be between 1 and 1024, got 0",
        "serve nothing.zip --workers 1025 | --workers | must be between 1 and 1024, got 1025",
        "predict nothing.zip in.json out --chunk-rows 99999999999 | --chunk-rows | must be at most"
            + " 2147483647, got 99999999999",
        "serve nothing.zip --port http | --port | 'http' is not a whole number (it must be between"
            + " 0 and 65535)",
        "serve nothing.zip --max-body-size 64Mi | --max-body-size | '64Mi' is not a whole number of"
            + " bytes (it must be between 1 and 2147483647)",
        "serve nothing.zip --max-body-size 3000000000 | --max-body-size | must be at most"
            + " 2147483647 bytes, got 3000000000",
        "serve nothing.zip --max-body-size 0 | --max-body-size | must be at least 1"
            + " byte, got 0",
        "serve nothing.zip --max-batch-delay 5s | --max-batch-delay | '5s' is not a whole number of"
            + " milliseconds (it must be between 0 and 1000000000000)",
        "serve nothing.zip --max-batch-delay -1 | --max-batch-delay | must be between 0 and"
            + " 1000000000000 milliseconds, got -1",
        "serve nothing.zip --capture-object-size x | --capture-object-size | 'x' is not a whole"
            + " number of bytes",
        "serve nothing.zip --capture-buffer-size 1GB | --capture-buffer-size | '1GB' is not a whole"
            + " number of bytes",
        "serve nothing.zip --capture-queue-size lots | --capture-queue-size | 'lots' is not a whole"
            + " number (it must be between 1 and 2147483647)",
        "serve nothing.zip --queue-size 0 | --queue-size | must be at least 1, got 0",
        "serve nothing.zip --max-batch-rows x | --max-batch-rows | 'x' is not a whole number",
        "serve nothing.zip --start-timeout 1m | --start-timeout | '1m' is not a whole number of"
            + " seconds",
        "model invoke --retries 0 | --retries | must be at least 1, got 0",
        "model invoke --retry-delay 1s | --retry-delay | '1s' is not a number of seconds (such as"
            + " 3 or 0.5)",
        "model invoke --timeout -2 | --timeout | must not be negative, got -2",
        "model invoke --timeout 1e300 | --timeout | must be at most 1000000000 seconds, got 1e300",
        "model invoke --retry-delay 1e10 | --retry-delay | must be at most 1000000000 seconds",
        "deploy manifests --image i --replicas -1 | --replicas | must not be negative," + " got -1",
        "deploy manifests --image i --backoff-limit-per-index x | --backoff-limit-per-index | 'x'"
            + " is not a whole number",
        "serve nothing.zip --threads 0 | --threads | must be at least 1, got 0",
        "serve nothing.zip --timeout 0 | --timeout | must be at least 1 second, got 0",
        "serve nothing.zip --runtime pypy | --runtime | must be cpython or graalpy, got 'pypy'",
        "predict nothing.zip in.json out --runtime pypy | --runtime | must be cpython or graalpy",
        "info nothing.zip --runtime pypy | --runtime | must be cpython or graalpy",
        "gppi test nothing.zip --runtime pypy | --runtime | must be cpython or graalpy",
        "pack run --id x --format tgz | --format | must be docker or oci, got 'tgz'",
        "image run i.tar -v /tmp | --volume | expected HOST:CONTAINER or HOST:CONTAINER:ro",
        "image run i.tar -v /nowhere/at/all:/io | --volume | the host path /nowhere/at/all does",
        "image run i.tar -v /tmp:io | --volume | the container path must be absolute and not /",
        "image run i.tar -v /tmp:/ | --volume | the container path must be absolute and not /",
        "image run i.tar -v /tmp:/io/../etc | --volume | the container path must not contain '..'",
        "image run i.tar -v /tmp:/io:rx | --volume | the mode after the container path must be ro",
        "image run i.tar -e =x | --env | expected NAME=VALUE or NAME, got '=x'",
        "image run i.tar --env= | --env | expected NAME=VALUE or NAME, got ''",
      })
  void invalidOptionValuesAreUsageErrors(String command, String option, String problem) {
    Run run = odahuPack(command.split(" ", -1));
    assertEquals(2, run.status(), run.err());
    List<String> lines = run.err().lines().toList();
    assertTrue(
        lines.get(0).startsWith("Error: Invalid value for option '" + option + "'"), run.err());
    assertTrue(lines.get(0).contains(": " + problem), run.err());
    assertTrue(
        lines.get(1).startsWith("Usage: odahu-pack " + command.split(" ", -1)[0]), run.err());
    assertTrue(lines.get(2).endsWith(" --help' for more."), run.err());
    assertEquals(3, lines.size(), run.err());
    assertEquals("", run.out());
  }

  @Test
  void anEmptyArtifactNameIsAUsageError() {
    Run run = odahuPack("pack", "run", "--id", "x", "-f", "nothing.yaml", "-a", "");
    assertEquals(2, run.status(), run.err());
    assertTrue(
        run.err().startsWith("Error: --artifact-name is empty: name the artifact"), run.err());
  }

  @Test
  void installingDependenciesForGraalPyIsRefused() {
    String pure = org.odahu.pack.artifact.testing.Examples.artifact("pure").toString();
    for (Run run :
        List.of(
            odahuPack("serve", "nothing.zip", "--install-deps", "--runtime", "graalpy"),
            odahuPack("info", pure, "--install-deps", "--runtime", "graalpy"))) {
      assertEquals(2, run.status(), run.err());
      assertTrue(
          run.err()
              .startsWith(
                  "Error: --install-deps installs the dependencies for CPython (--python), and the"
                      + " graalpy runtime runs pure-Python models"),
          run.err());
    }
  }

  @Test
  void valuesCheckedTogetherAfterParsingAreUsageErrorsToo() {
    Run run =
        odahuPack(
            "serve",
            "nothing.zip",
            "--capture-dir",
            "/x",
            "--capture-url",
            "s3://b",
            "--max-body-size",
            "2048",
            "--max-buffered-bytes",
            "1024");
    assertEquals(2, run.status(), run.err());
    List<String> lines = run.err().lines().toList();
    assertTrue(lines.get(0).startsWith("Error: --"), run.err());
    assertTrue(
        lines.get(0).contains("--capture-url cannot be used with --capture-dir: choose one"),
        run.err());
    assertTrue(
        lines.get(0).contains("--max-buffered-bytes must be at least --max-body-size (2048)"),
        run.err());
    assertTrue(lines.get(1).startsWith("Usage: odahu-pack serve"), run.err());
    assertEquals(3, lines.size(), run.err());
  }

  /**
   * What {@code pack integrations} prints goes into a cluster: a mistake shows there only later.
   */
  @Test
  void packIntegrationsRefusesABadImageOrARelativeHome() {
    Run image = odahuPack("pack", "integrations", "--image", "Bad Image");
    assertEquals(2, image.status(), image.err());
    assertTrue(
        image
            .err()
            .startsWith(
                "Error: --image must be an image reference, got 'Bad Image': it holds white"
                    + " space\nUsage: odahu-pack pack integrations"),
        image.err());
    assertEquals("", image.out());

    Run home = odahuPack("pack", "integrations", "--image", "r.example.com/p:1", "--home", "rel");
    assertEquals(2, home.status(), home.err());
    assertTrue(
        home.err()
            .startsWith(
                "Error: --home must be an absolute path in the image, as /opt/odahu-pack, got"
                    + " 'rel'\n"),
        home.err());
    assertEquals("", home.out());
  }

  /** Not a command-line mistake, but found without a server: one attempt is not "1 attempts". */
  @Test
  void oneConnectionAttemptIsCountedInTheSingular() {
    Run run =
        odahuPack(
            "model", "invoke", "--url", "http://127.0.0.1:9", "--json", "{}", "--retries", "1");
    assertEquals(1, run.status(), run.err());
    assertTrue(
        run.err()
            .startsWith(
                "Error: Cannot connect to http://127.0.0.1:9/api/model/invoke (1 attempt): "),
        run.err());
  }

  @Test
  void aMistypedCommandGetsSuggestions() {
    Run run = odahuPack("serv", "model.zip");
    assertEquals(2, run.status(), run.err());
    assertTrue(run.err().startsWith("Error: Unmatched arguments from index 0: 'serv'"), run.err());
    assertTrue(run.err().contains("\nDid you mean: odahu-pack serve or "), run.err());

    Run nested = odahuPack("gppi", "tets", "model.zip");
    assertEquals(2, nested.status(), nested.err());
    assertTrue(nested.err().contains("\nDid you mean: gppi test?"), nested.err());

    Run option = odahuPack("serve", "model.zip", "--wokers", "2");
    assertEquals(2, option.status(), option.err());
    assertTrue(option.err().contains("--workers"), option.err());
  }
}
