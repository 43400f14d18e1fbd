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
  void indentedLikeJsonDumpsWithIndent4() {
    assertEquals(
        "{\n    \"prediction\": [\n        6.5,\n        1\n    ],\n    \"columns\": [\n"
            + "        \"qualit\\u00e9\",\n        \"\\ud83d\\ude00\"\n    ],\n    \"empty\": {}\n}",
        PythonJson.indented(VALUE));
  }
}
