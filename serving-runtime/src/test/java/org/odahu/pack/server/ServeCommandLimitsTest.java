package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.odahu.pack.server.http.HttpLimits;
import picocli.CommandLine;

/** The HTTP edge's limits as {@code serve} takes them. */
class ServeCommandLimitsTest {
  private static ServerConfig parse(String... args) {
    return CommandLine.populateCommand(new ServeCommand(), args).config();
  }

  @Test
  void defaults() {
    assertEquals(HttpLimits.DEFAULTS, parse("model.zip").httpLimits());
  }

  @Test
  void flags() {
    assertEquals(
        new HttpLimits(50, Duration.ofSeconds(7), 64 << 20),
        parse(
                "model.zip",
                "--max-connections=50",
                "--request-read-timeout=7",
                "--max-buffered-bytes=67108864")
            .httpLimits());
  }

  @Test
  void outOfRangeValuesAreCommandLineMistakes() {
    assertThrows(
        CommandLine.ParameterException.class, () -> parse("model.zip", "--max-connections=0"));
    assertThrows(
        CommandLine.ParameterException.class, () -> parse("model.zip", "--request-read-timeout=0"));
    assertThrows(
        CommandLine.ParameterException.class, () -> parse("model.zip", "--max-buffered-bytes=-1"));
  }

  @Test
  void bufferedBytesBelowOneBodyAreRefused() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("model.zip", "--max-body-size=2048", "--max-buffered-bytes=1024"));
    assertEquals(
        "--max-buffered-bytes must be at least --max-body-size (2048), got 1024",
        error.getMessage());
  }
}
