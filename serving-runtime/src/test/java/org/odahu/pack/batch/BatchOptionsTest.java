package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendOptions;
import picocli.CommandLine;

/** The shared batch options as {@code invoke predict} parses them. */
class BatchOptionsTest {
  private static InvokeCommand.Predict parse(String... args) {
    InvokeCommand.Predict predict = new InvokeCommand.Predict();
    new CommandLine(predict).parseArgs(args);
    return predict;
  }

  private static BackendOptions backend(String... args) {
    return parse(args).batch.applyTo(BatchRunner.defaults()).build();
  }

  @Test
  void timeoutIsWholeSecondsAndUnlimitedUnlessGiven() {
    assertEquals(BatchRunner.defaults().build().timeout(), backend("in.json", "out/").timeout());
    assertEquals(Duration.ofSeconds(90), backend("--timeout", "90", "in.json", "out/").timeout());
    var zero =
        assertThrows(CommandLine.ParameterException.class, () -> parse("--timeout", "0", "a", "b"));
    assertTrue(zero.getMessage().contains("must be at least 1 second, got 0"), zero.getMessage());
    var words =
        assertThrows(
            CommandLine.ParameterException.class, () -> parse("--timeout", "5m", "a", "b"));
    assertTrue(words.getMessage().contains("not a whole number of seconds"), words.getMessage());
  }

  @Test
  void inputMatrixIsListsUnlessNdarrayIsAsked() {
    assertEquals(BackendOptions.LISTS, backend("in.json", "out/").inputMatrix());
    assertEquals(
        BackendOptions.NDARRAY,
        backend("--input-matrix", "ndarray", "in.json", "out/").inputMatrix());
    var other =
        assertThrows(
            CommandLine.ParameterException.class, () -> parse("--input-matrix", "numpy", "a", "b"));
    assertTrue(
        other.getMessage().contains("must be lists or ndarray, got 'numpy'"), other.getMessage());
  }

  @Test
  void workersAreTheCpusUnlessGiven() {
    assertEquals(Runtime.getRuntime().availableProcessors(), backend("in.json", "out/").workers());
    assertEquals(3, backend("--workers", "3", "in.json", "out/").workers());
  }
}
