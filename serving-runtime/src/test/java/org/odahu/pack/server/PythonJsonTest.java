package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Output compared with what CPython's json module prints for the same values. */
class PythonJsonTest {
  private static final Map<String, Object> VALUE = new LinkedHashMap<>();

  static {
    VALUE.put("prediction", List.of(6.5, 1));
    VALUE.put("columns", List.of("qualité", "😀"));
    VALUE.put("empty", Map.of());
  }

  @Test
  void dumpsLikeJsonDumps() {
    // python3 -c 'import json; print(json.dumps({"prediction": [6.5, 1], "columns": ["qualité",
    // "😀"], "empty": {}}))'
    assertEquals(
        "{\"prediction\": [6.5, 1], \"columns\": [\"qualit\\u00e9\", \"\\ud83d\\ude00\"], \"empty\": {}}",
        PythonJson.dumps(VALUE));
  }

  @Test
  void floatsInATreeAreWrittenAsPythonWritesThem() throws Exception {
    // python3 -c 'import json; print(json.dumps(json.loads("[12345678.9, 0.0001, 1e-05, 1e16,
    // 1e100, 1e400, -1e400, 1, 2.50]")))'
    com.fasterxml.jackson.databind.JsonNode tree =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree("[12345678.9, 0.0001, 1e-05, 1e16, 1e100, 1e400, -1e400, 1, 2.50]");
    assertEquals(
        "[12345678.9, 0.0001, 1e-05, 1e+16, 1e+100, Infinity, -Infinity, 1, 2.5]",
        PythonJson.dumps(tree));
  }

  @Test
  void indentedLikeJsonDumpsWithIndent4() {
    assertEquals(
        "{\n    \"prediction\": [\n        6.5,\n        1\n    ],\n    \"columns\": [\n"
            + "        \"qualit\\u00e9\",\n        \"\\ud83d\\ude00\"\n    ],\n    \"empty\": {}\n}",
        PythonJson.indented(VALUE));
  }
}
