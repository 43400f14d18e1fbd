package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.InvalidOptionsException;
import picocli.CommandLine;

/** {@code serve --[no-]docs} and {@code --cors-origins}, parsed without running. */
class ServeApiOptionsTest {
  private static ServerConfig parse(String... args) {
    return CommandLine.populateCommand(new ServeCommand(), args).config();
  }

  @Test
  void docsOnAndCorsOffByDefault() {
    assumeTrue(System.getenv("ODAHU_DOCS") == null && System.getenv("ODAHU_CORS_ORIGINS") == null);
    ServerConfig config = parse("m.zip");
    assertTrue(config.docs());
    assertFalse(config.routeOptions().cors().enabled());
  }

  @Test
  void noDocsAndCorsOrigins() {
    assertFalse(parse("m.zip", "--no-docs").docs());
    ServerConfig config =
        parse("m.zip", "--cors-origins", "https://a.example, http://localhost:3000");
    assertEquals(List.of("https://a.example", "http://localhost:3000"), config.corsOrigins());
    assertTrue(config.routeOptions().cors().allows("http://localhost:3000"));
    assertEquals(List.of("*"), parse("m.zip", "--cors-origins=*").corsOrigins());
  }

  @Test
  void aMalformedOriginIsReportedByItsFlag() {
    InvalidOptionsException refused =
        assertThrows(
            InvalidOptionsException.class,
            () -> parse("m.zip", "--cors-origins", "app.example.com"));
    assertEquals("--cors-origins", refused.problems().get(0).option());
    assertTrue(refused.getMessage().contains("is not an origin"), refused.getMessage());
  }
}
