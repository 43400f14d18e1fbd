package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.cpython.WorkerLaunch;
import picocli.CommandLine;

/**
 * The early worker's guess against what {@code serve} really starts: when the two drift apart, the
 * early worker is wasted on every start, and this test says so.
 */
class EarlyWorkerPredictionTest {
  private static final String WINE = Examples.artifact("wine").toString();

  /** The launch the server's pool uses for {@code args}, through picocli and the server config. */
  private static WorkerLaunch real(String... args) {
    ServerConfig config = CommandLine.populateCommand(new ServeCommand(), args).config();
    try (ModelArtifact artifact = ModelArtifact.open(config.artifact())) {
      return WorkerLaunch.of(
          artifact,
          config.backend().toBuilder()
              .environment(WorkerEnvironment.NONE.forModel(artifact, config.backend().python()))
              .build());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "--host 127.0.0.1 --port 9000 --workers 2",
        "--python /usr/bin/python3.11 --input-matrix ndarray",
        "--python=/opt/conda/bin/python --input-matrix=lists --max-body-size 100000000",
        "--max-body-size=1024 --batching --timeout 5 --no-docs",
      })
  void theGuessFromArgumentsIsTheLaunchServeUses(String options) {
    Examples.assumeNoOdahuEnvironment();
    String[] args = (WINE + " " + options).strip().split(" ");
    WorkerLaunch predicted = EarlyWorkerPrediction.predict(args, Map.of());
    assertNotNull(predicted);
    assertEquals(real(args), predicted);
  }

  @Test
  void theImagesEnvironmentCountsAsTheOptionsDo() {
    Examples.assumeNoOdahuEnvironment();
    Map<String, String> environment =
        Map.of(
            "ODAHU_PYTHON", "/opt/conda/bin/python",
            "ODAHU_INPUT_MATRIX", "ndarray",
            "ODAHU_MAX_BODY_SIZE", "100000000",
            "ODAHU_PORT", "5000");
    assertEquals(
        real(
            WINE,
            "--python",
            "/opt/conda/bin/python",
            "--input-matrix",
            "ndarray",
            "--max-body-size",
            "100000000"),
        EarlyWorkerPrediction.predict(new String[] {WINE}, environment));
    // An option on the command line wins over the environment, as in picocli.
    assertEquals(
        real(WINE, "--python", "/usr/bin/python3"),
        EarlyWorkerPrediction.predict(
            new String[] {WINE, "--python", "/usr/bin/python3"},
            Map.of("ODAHU_PYTHON", "/opt/conda/bin/python")));
  }

  @Test
  void noGuessWhenTheCommandLineIsNotPlain() {
    Map<String, String> none = Map.of();
    assertNull(EarlyWorkerPrediction.predict(new String[] {}, none));
    assertNull(EarlyWorkerPrediction.predict(new String[] {"--port", "9000", WINE}, none));
    assertNull(EarlyWorkerPrediction.predict(new String[] {WINE, "--help"}, none));
    assertNull(EarlyWorkerPrediction.predict(new String[] {WINE, "--runtime", "graalpy"}, none));
    assertNull(
        EarlyWorkerPrediction.predict(new String[] {WINE}, Map.of("ODAHU_RUNTIME", "graalpy")));
    assertNull(
        EarlyWorkerPrediction.predict(new String[] {Examples.gzipTarball("wine").toString()}, none),
        "an archive is extracted first");
    assertNull(EarlyWorkerPrediction.predict(new String[] {WINE + "-missing"}, none));
  }
}
