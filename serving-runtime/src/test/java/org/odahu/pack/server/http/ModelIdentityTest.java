package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelIdentityTest {
  @ParameterizedTest
  @ValueSource(strings = {"x\r\nInjected: 1", "tab\there", "nul\0", "del\u007f", "c1\u0085", ""})
  void controlCharactersAndEmptyNamesAreRefused(String name) {
    String message =
        assertThrows(
                ModelIdentity.InvalidModelIdentityException.class,
                () -> new ModelIdentity(name, "1.0"))
            .getMessage();
    assertTrue(message.startsWith("The model name "), message);
    assertTrue(!message.contains("\r") && !message.contains("\n"), message);
  }

  @Test
  void theRefusalShowsTheNameEscaped() {
    String message =
        assertThrows(
                ModelIdentity.InvalidModelIdentityException.class,
                () -> new ModelIdentity("wine", "1\r\nX: y"))
            .getMessage();
    assertTrue(message.contains("\"1\\u000D\\u000AX: y\""), message);
    assertTrue(message.contains("U+000D"), message);
  }

  @Test
  void printableAsciiIsKeptAndAnythingElsePercentEncoded() {
    ModelIdentity ascii = new ModelIdentity("wine model", "1.0 (100%)");
    assertEquals("wine model", ascii.nameHeader());
    assertEquals("1.0 (100%)", ascii.versionHeader());
    ModelIdentity other = new ModelIdentity("modèle 100%", "版本");
    assertEquals("mod%C3%A8le%20100%25", other.nameHeader());
    assertEquals("%E7%89%88%E6%9C%AC", other.versionHeader());
  }
}
