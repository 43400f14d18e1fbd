package org.odahu.pack.gppi;

/** How the model's answer is written as JSON. */
public enum OutputStyle {
  /** Compact, as ODAHU's model server (orjson) writes it: {@code [1.5,2]}. */
  COMPACT,
  /**
   * Python's {@code json.dump} defaults, as ODAHU's batch CLI writes {@code results.json}: {@code
   * [1.5, 2]}; the model's {@code get_output_json_serializer()} is honoured.
   */
  PYTHON
}
