package org.odahu.pack.server.openapi;

import static org.odahu.pack.server.openapi.Tree.array;
import static org.odahu.pack.server.openapi.Tree.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.odahu.pack.gppi.SchemaField;
import org.odahu.pack.server.v2.TensorType;

/** The model's {@code info()} columns as JSON Schema, example values and tensor datatypes. */
final class ModelSchemaJson {
  private static final Set<String> JSON_TYPES = Set.of("number", "integer", "string", "boolean");

  private ModelSchemaJson() {}

  /** A row of {@code columns} as a JSON Schema object, with the columns' examples. */
  static ObjectNode row(List<SchemaField> columns, String description) {
    ObjectNode properties = object();
    ArrayNode required = array();
    for (SchemaField column : columns) {
      ObjectNode property = value(column);
      properties.set(column.name(), property);
      if (column.required()) {
        required.add(column.name());
      }
    }
    ObjectNode row = object("type", "object", "description", description, "properties", properties);
    if (!required.isEmpty()) {
      row.set("required", required);
    }
    return row;
  }

  /** The JSON Schema of one column's values. */
  static ObjectNode value(SchemaField column) {
    ObjectNode schema = object();
    if (column.type() != null && JSON_TYPES.contains(column.type())) {
      schema.put("type", column.type());
    }
    JsonNode example = example(column);
    if (!example.isNull()) {
      schema.set("examples", array(example));
    }
    return schema;
  }

  /** The column's example value, or a value of its type when it gives none. */
  static JsonNode example(SchemaField column) {
    JsonNode example = column.example();
    if (example != null && !example.isNull() && !example.isMissingNode()) {
      return example;
    }
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    String type = column.type() == null ? "" : column.type();
    return switch (type) {
      case "number", "integer" -> nodes.numberNode(0);
      case "string" -> nodes.textNode("");
      case "boolean" -> nodes.booleanNode(false);
      default -> nodes.nullNode();
    };
  }

  /** The examples of {@code columns}, in order: one example row. */
  static ArrayNode exampleRow(List<SchemaField> columns) {
    ArrayNode row = array();
    columns.forEach(column -> row.add(example(column)));
    return row;
  }

  /** The names of {@code columns}. */
  static ArrayNode names(List<SchemaField> columns) {
    ArrayNode names = array();
    columns.forEach(column -> names.add(column.name()));
    return names;
  }

  /** The tensor datatype of one column. */
  static String datatype(SchemaField column) {
    return TensorType.ofSchemaType(column.type()).name();
  }
}
