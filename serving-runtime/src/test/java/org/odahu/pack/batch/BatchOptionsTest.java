package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The shared batch options as {@code invoke predict} parses them. */
class BatchOptionsTest {
  private static InvokeCommand.Predict parse(String... args) {
    InvokeCommand.Predict predict = new InvokeCommand.Predict();
    new CommandLine(predict).parseArgs(args);
    return predict;
  }

  @Test
  void timeoutIsWholeSecondsAndUnlimitedUnlessGiven() {
    assertEquals(Optional.empty(), parse("in.json", "out/").batch.timeout());
    assertEquals(
        Optional.of(Duration.ofSeconds(90)),
        parse("--timeout", "90", "in.json", "out/").batch.timeout());
    var zero =
        assertThrows(CommandLine.ParameterException.class, () -> parse("--timeout", "0", "a", "b"));
    assertTrue(zero.getMessage().contains("must be at least 1 second, got 0"), zero.getMessage());
    var words =
        assertThrows(
            CommandLine.ParameterException.class, () -> parse("--timeout", "5m", "a", "b"));
    assertTrue(words.getMessage().contains("not a whole number of seconds"), words.getMessage());
  }
}
