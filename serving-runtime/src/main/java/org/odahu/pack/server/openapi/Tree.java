package org.odahu.pack.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Short ways to write the JSON trees of an OpenAPI document. */
final class Tree {
  static final ObjectMapper JSON = new ObjectMapper();

  private Tree() {}

  /** An object of the given keys and values (nodes, strings, numbers, booleans, lists, maps). */
  static ObjectNode object(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs");
    }
    ObjectNode object = JSON.createObjectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      object.set((String) keysAndValues[i], node(keysAndValues[i + 1]));
    }
    return object;
  }

  /** An array of the given values. */
  static ArrayNode array(Object... values) {
    ArrayNode array = JSON.createArrayNode();
    for (Object value : values) {
      array.add(node(value));
    }
    return array;
  }

  /** {@code value} as a node. */
  static JsonNode node(Object value) {
    return value instanceof JsonNode node ? node : JSON.valueToTree(value);
  }

  /** A reference to a schema of the components. */
  static ObjectNode ref(String schema) {
    return object("$ref", "#/components/schemas/" + schema);
  }

  /** A JSON media type of {@code schema}. */
  static ObjectNode json(JsonNode schema) {
    return object("application/json", object("schema", schema));
  }

  /** A response: its description and JSON body schema. */
  static ObjectNode response(String description, JsonNode schema) {
    return object("description", description, "content", json(schema));
  }

  /** A schema of type string described by {@code description}. */
  static ObjectNode string(String description) {
    return object("type", "string", "description", description);
  }
}
