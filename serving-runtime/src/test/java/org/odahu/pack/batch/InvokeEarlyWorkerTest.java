package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import org.odahu.pack.gppi.cpython.WorkerLaunch;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The early worker of docker-cli images' {@code invoke} against the worker the command really
 * starts: when the two drift apart, every batch container wastes its early worker and waits for a
 * second one, and this test says so.
 */
class InvokeEarlyWorkerTest {
  private static final String WORK_DIR =
      Examples.artifact("wine").resolve("odahuflow_model").toString();

  @TempDir Path temp;
  private String input;
  private String alone;

  @BeforeEach
  void files() throws Exception {
    input = Files.copy(Examples.data("wine-request.json"), temp.resolve("in.json")).toString();
    Path model = Files.createDirectories(temp.resolve("models/simple"));
    try (var files = Files.list(Examples.artifact("simple").resolve("odahuflow_model"))) {
      for (Path file : files.toList()) {
        Files.copy(file, model.resolve(file.getFileName()));
      }
    }
    alone = model.toString();
  }

  private static void assumeNoModelEnvironment() {
    Examples.assumeNoOdahuEnvironment();
    assumeTrue(
        System.getenv("MODEL_LOCATION") == null && System.getenv("MODEL_ENTRYPOINT") == null,
        "MODEL_LOCATION or MODEL_ENTRYPOINT is set");
  }

  /** The launch {@code invoke args} uses, parsed by picocli. */
  private static WorkerLaunch real(String... args) {
    InvokeCommand invoke = new InvokeCommand();
    List<CommandLine> parsed = new CommandLine(invoke).parseArgs(args).asCommandLineList();
    UnaryOperator<BackendOptions.Builder> batch = UnaryOperator.identity();
    if (parsed.getLast().getCommand() instanceof InvokeCommand.Predict predict) {
      BatchRequest request =
          predict.batch.request(predict.input, predict.outputDir, predict.fileName);
      batch = builder -> predict.batch.applyTo(builder, request);
    }
    try (ModelArtifact artifact = invoke.artifact()) {
      return WorkerLaunch.of(artifact, invoke.options(batch));
    }
  }

  private String[] words(String line) {
    Map<String, String> values =
        Map.of("WORK_DIR", WORK_DIR, "ALONE", alone, "IN", input, "OUT", temp.toString());
    return Arrays.stream(line.split(" "))
        .map(
            word -> {
              String replaced = word;
              for (var value : values.entrySet()) {
                replaced = replaced.replace(value.getKey(), value.getValue());
              }
              return replaced;
            })
        .toArray(String[]::new);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--model WORK_DIR predict IN OUT",
        "-v --model=WORK_DIR --entrypoint entrypoint predict IN OUT --input-matrix ndarray"
            + " --workers 2",
        "--log-format json --model WORK_DIR predict --output_file_name a.json IN OUT -q",
        "--model WORK_DIR predict --workers 2 --chunk-rows=5 IN --shard 0/2 OUT",
        "--model WORK_DIR --python /usr/bin/python3.11 info",
        "--model WORK_DIR --python=/opt/conda/bin/python self_check",
        "--model WORK_DIR --entrypoint other_module info",
        "--model ALONE info",
        "--verbose --model ALONE --entrypoint model predict IN OUT --input-matrix=ndarray",
      })
  void theGuessFromArgumentsIsTheLaunchTheCommandUses(String line) {
    assumeNoModelEnvironment();
    String[] args = words(line);
    WorkerLaunch predicted = InvokeEarlyWorker.launch(args, Map.of());
    assertNotNull(predicted, line);
    assertEquals(real(args), predicted, line);
  }

  @Test
  void theEnvironmentOfTheImageCountsAsTheOptionsDo() {
    assumeNoModelEnvironment();
    Map<String, String> image =
        Map.of(
            "MODEL_LOCATION", WORK_DIR,
            "MODEL_ENTRYPOINT", "entrypoint",
            "ODAHU_PYTHON", "/opt/conda/bin/python",
            "ODAHU_INPUT_MATRIX", "ndarray");
    assertEquals(
        real(
            words(
                "--model WORK_DIR --entrypoint entrypoint --python /opt/conda/bin/python"
                    + " predict IN OUT --input-matrix ndarray")),
        InvokeEarlyWorker.launch(words("predict IN OUT"), image));
    assertEquals(
        real(words("--model WORK_DIR --python /opt/conda/bin/python info")),
        InvokeEarlyWorker.launch(words("info"), image),
        "info sends no matrices");
  }

  @Test
  void noGuessWhenTheCommandLineIsNotPlain() {
    String[] unclear = {
      "",
      "predict",
      "--model WORK_DIR predict IN",
      "--model WORK_DIR predict IN OUT extra",
      "--model WORK_DIR predict --workers IN OUT",
      "--model WORK_DIR predict " + temp.resolve("missing.json") + " OUT",
      "--model WORK_DIR info --help",
      "--help",
      "--version",
      "--model " + WORK_DIR + "-missing info",
      "--model WORK_DIR --entrypoint not-a-module info",
      "--model / info",
      "--unknown info",
      "--model WORK_DIR bogus",
    };
    for (String line : unclear) {
      String[] args = line.isEmpty() ? new String[0] : words(line);
      assertNull(InvokeEarlyWorker.launch(args, Map.of()), line);
    }
  }

  @Test
  void theOptionsOfPredictThatTakeAValueAreTheOnesTheGuessSkips() {
    Set<String> withValue = new TreeSet<>();
    for (OptionSpec option :
        new CommandLine(new InvokeCommand())
            .getSubcommands()
            .get("predict")
            .getCommandSpec()
            .options()) {
      if (option.arity().max() > 0) {
        withValue.addAll(List.of(option.names()));
      }
    }
    assertEquals(withValue, new TreeSet<>(InvokeEarlyWorker.PREDICT_WITH_VALUE));
  }

  @Test
  void whatRunsNoModelStartsNothing() {
    assertSame(EarlyWorker.NONE, InvokeEarlyWorker.start(new String[] {"--help"}, Map.of()));
    assertSame(EarlyWorker.NONE, InvokeEarlyWorker.start(new String[0], Map.of()));
  }
}
