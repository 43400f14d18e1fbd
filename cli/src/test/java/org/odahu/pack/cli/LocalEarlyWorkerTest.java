package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.batch.BatchRequest;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import org.odahu.pack.gppi.cpython.WorkerLaunch;
import picocli.CommandLine;

/**
 * The early worker of {@code predict}, {@code info} and {@code gppi test} against the worker the
 * commands really start: when the two drift apart, every run wastes its early worker and waits for
 * a second one, and this test says so.
 */
class LocalEarlyWorkerTest {
  private static final String WINE = Examples.artifact("wine").toString();

  @TempDir Path temp;
  private String input;

  @BeforeEach
  void input() throws Exception {
    input = Files.copy(Examples.data("wine-request.json"), temp.resolve("in.json")).toString();
  }

  /** The launch the command's batch runner uses for {@code args}, parsed by picocli. */
  private static WorkerLaunch real(String... args) {
    String[] options = Arrays.copyOfRange(args, args[0].equals("gppi") ? 2 : 1, args.length);
    ModelRunOptions model;
    UnaryOperator<BackendOptions.Builder> batch = UnaryOperator.identity();
    switch (args[0]) {
      case "predict" -> {
        LocalModelCommands.Predict predict =
            CommandLine.populateCommand(new LocalModelCommands.Predict(), options);
        BatchRequest request = predict.batch.request(predict.input, predict.outputDir, null);
        model = predict.model;
        batch = builder -> predict.batch.applyTo(builder, request);
      }
      case "info" ->
          model = CommandLine.populateCommand(new LocalModelCommands.ShowInfo(), options).model;
      default ->
          model = CommandLine.populateCommand(new LocalModelCommands.GppiTest(), options).model;
    }
    try (ModelArtifact artifact = ModelArtifact.open(model.artifact)) {
      return WorkerLaunch.of(artifact, model.options(artifact, batch));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "predict WINE IN OUT",
        "predict WINE IN OUT --python /usr/bin/python3.11 --input-matrix ndarray --workers 2",
        "predict WINE IN OUT --python=/opt/conda/bin/python --input-matrix=lists --chunk-rows 5",
        "predict WINE IN OUT -o out.jsonl --output-format jsonl --timeout 5 --runtime cpython",
        "info WINE",
        "info WINE --python /opt/conda/bin/python",
        "gppi test WINE",
        "gppi test WINE --python=/usr/bin/python3.11",
      })
  void theGuessFromArgumentsIsTheLaunchTheCommandUses(String line) {
    Examples.assumeNoOdahuEnvironment();
    Map<String, String> values = Map.of("WINE", WINE, "IN", input, "OUT", temp.toString());
    String[] args =
        Arrays.stream(line.split(" "))
            .map(word -> values.getOrDefault(word, word))
            .toArray(String[]::new);
    WorkerLaunch predicted = LocalEarlyWorker.launch(args, Map.of());
    assertNotNull(predicted, line);
    assertEquals(real(args), predicted, line);
  }

  @Test
  void theEnvironmentCountsAsTheOptionsDo() {
    Examples.assumeNoOdahuEnvironment();
    Map<String, String> environment =
        Map.of("ODAHU_PYTHON", "/opt/conda/bin/python", "ODAHU_INPUT_MATRIX", "ndarray");
    assertEquals(
        real(
            "predict",
            WINE,
            input,
            temp.toString(),
            "--python",
            "/opt/conda/bin/python",
            "--input-matrix",
            "ndarray"),
        LocalEarlyWorker.launch(
            new String[] {"predict", WINE, input, temp.toString()}, environment));
    assertEquals(
        real("info", WINE, "--python", "/opt/conda/bin/python"),
        LocalEarlyWorker.launch(new String[] {"info", WINE}, environment),
        "info has no --input-matrix");
  }

  @Test
  void noGuessWhenTheCommandLineIsNotPlain() {
    Map<String, String> none = Map.of();
    String out = temp.toString();
    String[][] unclear = {
      {},
      {"predict"},
      {"predict", WINE},
      {"predict", "--python", "/usr/bin/python3", WINE, input, out},
      {"predict", WINE, temp.resolve("missing.json").toString(), out},
      {"predict", WINE, input, out, "--install-deps"},
      {"predict", WINE, input, out, "--runtime", "graalpy"},
      {"predict", Examples.gzipTarball("wine").toString(), input, out},
      {"info", WINE, "--help"},
      {"info", WINE + "-missing"},
      {"gppi", WINE},
      {"serve", WINE},
      {"pack", WINE, "--help"},
    };
    for (String[] args : unclear) {
      assertNull(LocalEarlyWorker.launch(args, none), String.join(" ", args));
    }
    assertNull(
        LocalEarlyWorker.launch(new String[] {"info", WINE}, Map.of("ODAHU_RUNTIME", "graalpy")));
  }

  @Test
  void otherCommandsStartNothing() {
    assertSame(EarlyWorker.NONE, LocalEarlyWorker.start(new String[] {"serve", WINE}, Map.of()));
    assertSame(EarlyWorker.NONE, LocalEarlyWorker.start(new String[] {"--version"}, Map.of()));
  }
}
