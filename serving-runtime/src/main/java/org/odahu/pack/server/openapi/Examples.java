package org.odahu.pack.server.openapi;

import static org.odahu.pack.server.openapi.Tree.array;
import static org.odahu.pack.server.openapi.Tree.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.SchemaField;

/**
 * Example bodies for the model, one row of its {@code info()} examples in each API's format: what
 * "Try it out" sends.
 */
final class Examples {
  private Examples() {}

  /** ODAHU's {@code {"columns": [...], "data": [[...]]}}. */
  static ObjectNode odahu(ModelSchema schema) {
    return object(
        "columns",
        ModelSchemaJson.names(schema.input()),
        "data",
        array(ModelSchemaJson.exampleRow(schema.input())));
  }

  /** ODAHU's answer, with the output examples. */
  static ObjectNode odahuAnswer(ModelSchema schema) {
    return object(
        "prediction",
        array(ModelSchemaJson.exampleRow(schema.output())),
        "columns",
        ModelSchemaJson.names(schema.output()));
  }

  /** An inference request with one 1-D input per column. */
  static ObjectNode v2PerColumn(ModelSchema schema) {
    ArrayNode inputs = array();
    for (SchemaField column : schema.input()) {
      inputs.add(
          object(
              "name", column.name(),
              "shape", array(1),
              "datatype", ModelSchemaJson.datatype(column),
              "data", array(tensorExample(column))));
    }
    return object("id", "42", "inputs", inputs);
  }

  /**
   * An inference request with one 2-D input, its columns named by the model's schema; null when the
   * columns have different datatypes (a tensor has one).
   */
  static ObjectNode v2Matrix(ModelSchema schema) {
    List<SchemaField> columns = schema.input();
    if (columns.isEmpty()) {
      return object(
          "inputs",
          array(
              object(
                  "name",
                  "input",
                  "shape",
                  array(1, 2),
                  "datatype",
                  "FP64",
                  "data",
                  array(array(1.0, 2.0)))));
    }
    String datatype = ModelSchemaJson.datatype(columns.get(0));
    ArrayNode row = array();
    for (SchemaField column : columns) {
      if (!ModelSchemaJson.datatype(column).equals(datatype)) {
        return null;
      }
      row.add(tensorExample(column));
    }
    return object(
        "inputs",
        array(
            object(
                "name",
                "input",
                "shape",
                array(1, columns.size()),
                "datatype",
                datatype,
                "data",
                array(row))));
  }

  /** An element of a column's tensor: its example, or an empty string for BYTES. */
  private static JsonNode tensorExample(SchemaField column) {
    JsonNode example = ModelSchemaJson.example(column);
    return example.isNull() ? TextNode.valueOf("") : example;
  }

  /** MLflow's {@code dataframe_split}. */
  static ObjectNode mlflowSplit(ModelSchema schema) {
    return object("dataframe_split", odahu(schema));
  }

  /** MLflow's {@code dataframe_records}. */
  static ObjectNode mlflowRecords(ModelSchema schema) {
    ObjectNode record = object();
    for (SchemaField column : schema.input()) {
      record.set(column.name(), ModelSchemaJson.example(column));
    }
    return object("dataframe_records", array(record));
  }

  /** A CSV table: the header line and one row of examples. */
  static String csv(ModelSchema schema) {
    if (schema.input().isEmpty()) {
      return "a,b\n1,2\n";
    }
    StringBuilder header = new StringBuilder();
    StringBuilder row = new StringBuilder();
    for (SchemaField column : schema.input()) {
      String separator = header.isEmpty() ? "" : ",";
      header.append(separator).append(csvField(column.name()));
      JsonNode example = ModelSchemaJson.example(column);
      row.append(separator).append(example.isNull() ? "" : csvField(example.asText()));
    }
    return header + "\n" + row + "\n";
  }

  private static String csvField(String text) {
    boolean quote =
        text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r");
    return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
  }
}
