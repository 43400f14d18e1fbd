package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.InvalidOptionsException;
import picocli.CommandLine;

/** {@code serve}'s flags, parsed without running; its environment is covered by an IT. */
class ServeCommandTest {
  private static ServerConfig parse(String... args) {
    return CommandLine.populateCommand(new ServeCommand(), args).config();
  }

  private static boolean noOdahuEnvironment() {
    return System.getenv().keySet().stream().noneMatch(k -> k.startsWith("ODAHU_"));
  }

  @Test
  void withoutFlagsTheConfigIsTheBuildersDefaults() {
    assumeTrue(noOdahuEnvironment(), "ODAHU_* variables are set");
    assertEquals(ServerConfig.builder(Path.of("m.zip")).build(), parse("m.zip"));
  }

  @Test
  void anEmptyCaptureDirectoryOrEndpointIsUnsetAsAnEmptyVariableIs() {
    assumeTrue(noOdahuEnvironment(), "ODAHU_* variables are set");
    ServerConfig config = parse("m.zip", "--capture-dir", "", "--s3-endpoint", " ");
    assertNull(config.captureDir());
    assertEquals(ServerConfig.builder(Path.of("m.zip")).build(), config);
  }

  @Test
  void batchingIsOffUnlessAskedFor() {
    if (System.getenv("ODAHU_BATCHING") == null) {
      assertFalse(parse("m.zip").backend().batching().enabled());
    }
    assertEquals(
        new BatchingPolicy(true, BatchingPolicy.DEFAULT_MAX_ROWS, Duration.ZERO),
        parse("m.zip", "--batching").backend().batching());
    assertEquals(
        new BatchingPolicy(true, 8, Duration.ofMillis(2)),
        parse("m.zip", "--batching", "--max-batch-rows", "8", "--max-batch-delay", "2")
            .backend()
            .batching());
    assertFalse(parse("m.zip", "--no-batching").backend().batching().enabled());
    assertTrue(parse("m.zip", "--batching=true").backend().batching().enabled());
  }

  @Test
  void inputMatrixIsListsUnlessNdarrayIsAskedAndNdarrayNeedsCpython() {
    if (System.getenv("ODAHU_INPUT_MATRIX") == null) {
      assertEquals(BackendOptions.LISTS, parse("m.zip").backend().inputMatrix());
    }
    assertEquals(
        BackendOptions.NDARRAY,
        parse("m.zip", "--input-matrix", "ndarray").backend().inputMatrix());
    InvalidOptionsException error =
        assertThrows(
            InvalidOptionsException.class,
            () -> parse("m.zip", "--input-matrix", "ndarray", "--runtime", "graalpy"));
    assertEquals("--input-matrix ndarray needs the cpython runtime", error.getMessage());
  }

  @Test
  void theOpenInferenceProtocolsNameIsTheModelsUnlessSetAndIsOnePathSegment() {
    if (System.getenv("ODAHU_V2_MODEL_NAME") == null) {
      assertEquals(null, parse("m.zip").v2ModelName());
    }
    ServerConfig config = parse("m.zip", "--v2-model-name", "wine-1-0", "--model-name", "wine");
    assertEquals("wine-1-0", config.v2ModelName());
    assertEquals("wine", config.modelName());
    InvalidOptionsException error =
        assertThrows(InvalidOptionsException.class, () -> parse("m.zip", "--v2-model-name", "a/b"));
    assertEquals(
        "--v2-model-name must be a path segment (not empty, no '/'), got 'a/b'",
        error.getMessage());
  }

  @Test
  void theHelpShowsTheDefaults() {
    assumeTrue(noOdahuEnvironment(), "ODAHU_* variables are set");
    String help = new CommandLine(new ServeCommand()).getUsageMessage();
    assertTrue(help.contains("(default 60; env ODAHU_TIMEOUT)"), help);
    assertTrue(
        help.replaceAll("\\s+", " ").contains("(default /usr/bin/python3; env ODAHU_PYTHON)"),
        help);
    assertTrue(help.contains("default off; env ODAHU_BATCHING"), help);
  }
}
