package org.odahu.pack.server.odahu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.PredictionInput;

/**
 * The one-pass reading of common bodies ({@link OdahuRequest#readCommon}) against the JSON parser's
 * ({@link OdahuRequest#parseAny}): whatever it accepts, the parser accepts too and reads the same
 * way; whatever the parser refuses, it refuses.
 */
class OdahuRequestCommonTest {
  @Test
  void theExamplesTakeTheOnePassWay() throws Exception {
    for (String file : List.of("wine-request.json", "wine-request-100.json")) {
      byte[] body = Files.readAllBytes(Examples.data(file));
      assertSame(body, true);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"data\": [[1, 2.5]]}",
        "{\"columns\": [\"a\", \"b\"], \"data\": [[1, 2], [3, 4]]}",
        "{\"data\": [[1.0, 2.0]], \"columns\": [\"a\", \"b\"]}",
        " \n{ \"columns\" :[ ] ,\t\"data\":[ [ -0 , -0.0 ] ,[1e3,1E-3] ] }\r\n",
        "{\"data\": [[0.1, 123456789012345678901234567890, 1e400, -1e-400, 4.9e-324]]}",
        "{\"data\": [[17976931348623157e292, 2.2250738585072011e-308, 9007199254740993]]}",
        "{\"columns\": [\"fixed acidity\", \"pH\"], \"data\": [[7.4, 3.51]]}",
      })
  void plainBodiesAreReadAsTheParserReadsThem(String json) {
    assertSame(json.getBytes(StandardCharsets.UTF_8), true);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{}",
        "{\"data\": []}",
        "{\"data\": [[]]}",
        "{\"data\": [[1], [1, 2]]}",
        "{\"data\": [1, 2]}",
        "{\"data\": [[\"a\"]]}",
        "{\"data\": [[NaN]]}",
        "{\"data\": [[1]], \"other\": 1}",
        "{\"data\": [[1]], \"data\": [[2]]}",
        "{\"columns\": [\"a\"], \"columns\": [\"b\"], \"data\": [[2]]}",
        "{\"columns\": null, \"data\": [[2]]}",
        "{\"columns\": [\"a\\u00e9\"], \"data\": [[2]]}",
        "{\"columns\": [\"\u00e9\"], \"data\": [[2]]}",
        "{\"columns\": [\"a\tb\"], \"data\": [[2]]}",
        "{\"columns\": [1], \"data\": [[2]]}",
        "{\"data\": [[01]]}",
        "{\"data\": [[1.]]}",
        "{\"data\": [[.5]]}",
        "{\"data\": [[+1]]}",
        "{\"data\": [[-]]}",
        "{\"data\": [[1e]]}",
        "{\"data\": [[1e+]]}",
        "{\"data\": [[1x]]}",
        "{\"data\": [[1,]]}",
        "{\"data\": [[1],]}",
        "{\"data\": [[1]],}",
        "{\"data\" [[1]]}",
        "{\"data\": [[1]]",
        "{\"data\": [[1]]} x",
        "{\"data\": [[1]]}{}",
        "{\"data\": [[1] [2]]}",
        "{\"data\": [[1 2]]}",
        "{'data': [[1]]}",
        "\uFEFF{\"data\": [[1]]}",
        "{\"data\":\u000b[[1]]}",
      })
  void anythingElseGoesTheParsersWay(String json) {
    assertNull(OdahuRequest.readCommon(json.getBytes(StandardCharsets.UTF_8)), json);
  }

  /**
   * Random common bodies, then each with one byte replaced, inserted or removed: the one-pass way
   * reads a body only when the parser reads it, and the same way.
   */
  @Test
  void randomBodiesAndTheirMutationsAgreeWithTheParser() {
    Random random = new Random(20261203);
    String alphabet = "0123456789-+.eE,:[]{}\" \n\tadtcolumnsx\\\u00e9";
    int accepted = 0;
    for (int body = 0; body < 400; body++) {
      String json = randomBody(random);
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertSame(bytes, true);
      for (int mutation = 0; mutation < 40; mutation++) {
        StringBuilder mutated = new StringBuilder(json);
        int at = random.nextInt(json.length());
        switch (random.nextInt(3)) {
          case 0 -> mutated.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> mutated.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> mutated.deleteCharAt(at);
        }
        if (assertSame(mutated.toString().getBytes(StandardCharsets.UTF_8), false)) {
          accepted++;
        }
      }
    }
    // Some mutations keep a body common (a digit for a digit): both ways must then agree too.
    if (accepted < 100) {
      fail("only " + accepted + " mutated bodies were read the one-pass way");
    }
  }

  private static String randomBody(Random random) {
    int rows = 1 + random.nextInt(4);
    int width = 1 + random.nextInt(4);
    List<String> members = new ArrayList<>();
    StringBuilder data = new StringBuilder("\"data\":" + space(random) + "[");
    for (int row = 0; row < rows; row++) {
      data.append(row == 0 ? "" : "," + space(random)).append('[');
      for (int value = 0; value < width; value++) {
        data.append(value == 0 ? "" : "," + space(random)).append(number(random));
      }
      data.append(']');
    }
    members.add(data.append(space(random)).append(']').toString());
    if (random.nextBoolean()) {
      StringBuilder columns = new StringBuilder("\"columns\": [");
      for (int value = 0; value < width; value++) {
        columns.append(value == 0 ? "" : ", ").append("\"c").append(value).append('"');
      }
      members.add(random.nextInt(members.size() + 1), columns.append(']').toString());
    }
    return space(random) + "{" + String.join("," + space(random), members) + "}" + space(random);
  }

  private static String number(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> Integer.toString(random.nextInt(2000) - 1000);
      case 1 -> Double.toString(random.nextGaussian() * 100);
      case 2 -> String.format("%.3f", random.nextDouble() * 20);
      case 3 -> random.nextInt(10) + "e" + (random.nextInt(40) - 20);
      case 4 -> "-0.0";
      default -> Long.toString(random.nextLong());
    };
  }

  private static String space(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> " ";
      case 1 -> "\n  ";
      default -> "";
    };
  }

  /**
   * Reads {@code body} both ways and checks they agree; {@code common} says that the one-pass way
   * must read it.
   *
   * @return whether the one-pass way read it
   */
  private static boolean assertSame(byte[] body, boolean common) {
    String json = new String(body, StandardCharsets.UTF_8);
    PredictionInput fast = OdahuRequest.readCommon(body);
    if (common) {
      assertNotNull(fast, json);
    }
    PredictionInput parsed;
    try {
      parsed = OdahuRequest.parseAny(body);
    } catch (InvalidInputException e) {
      assertNull(fast, () -> "the parser refused it (" + e.getMessage() + "): " + json);
      return false;
    }
    if (fast == null) {
      return false;
    }
    assertEquals(String.valueOf(parsed.columns()), String.valueOf(fast.columns()), json);
    assertEquals(parsed.data().toString(), fast.data().toString(), json);
    assertEquals(parsed.rows().count(), fast.rows().count(), json);
    assertEquals(parsed.rows().width(), fast.rows().width(), json);
    for (int row = 0; row < parsed.rows().count(); row++) {
      assertEquals(parsed.rows().row(row), fast.rows().row(row), json);
    }
    assertArrayEquals(parsed.numbers(), fast.numbers(), json);
    assertArrayEquals(parsed.floats(), fast.floats(), json);
    assertEquals(parsed.rowCount(), fast.rowCount(), json);
    return true;
  }
}
