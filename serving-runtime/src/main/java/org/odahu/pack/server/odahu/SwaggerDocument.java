package org.odahu.pack.server.odahu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.SchemaField;
import org.odahu.pack.gppi.runtime.PythonFloats;

/**
 * The Swagger 2.0 document ODAHU's model server answers on {@code GET /api/model/info}, quirks
 * included ({@code "type": "object"} beside {@code "200"} in the invoke responses), serialised like
 * Flask 1.1's {@code jsonify}: keys sorted, compact, a trailing newline. ODAHU's operator reads the
 * model name and version from {@code info.title} and {@code info.version}.
 */
public final class SwaggerDocument {
  /** Flask's {@code jsonify}: {@code json.dumps} with {@code ensure_ascii}, lower-case hex. */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .build();

  private SwaggerDocument() {}

  /** Renders the document for a model's schema, name and version. */
  public static byte[] render(ModelSchema schema, String modelName, String modelVersion) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("description", "This is a EDI server.");
    info.put("title", modelName);
    info.put("termsOfService", "http://swagger.io/terms/");
    info.put("contact", Map.of());
    info.put(
        "license",
        Map.of("name", "Apache 2.0", "url", "http://www.apache.org/licenses/LICENSE-2.0.html"));
    info.put("version", modelVersion);

    Map<String, Object> infoGet = new LinkedHashMap<>();
    infoGet.put("description", "Return a swagger info about model");
    infoGet.put("consumes", List.of());
    infoGet.put("produces", List.of("application/json"));
    infoGet.put("summary", "Info");
    infoGet.put("responses", Map.of("200", Map.of("description", "Info", "type", "object")));

    Map<String, Object> invokePost = new LinkedHashMap<>();
    invokePost.put("description", "Execute prediction");
    invokePost.put("consumes", List.of("application/json"));
    invokePost.put("produces", List.of("application/json"));
    invokePost.put("summary", "Prediction");
    invokePost.put(
        "parameters",
        List.of(
            Map.of(
                "in",
                "body",
                "name",
                "PredictionParameters",
                "required",
                true,
                "schema",
                Map.of("properties", inputProperties(schema), "type", "object"))));
    invokePost.put(
        "responses",
        Map.of(
            "200",
            Map.of(
                "description", "Results of prediction",
                "name", "PredictionResponse",
                "properties", outputProperties(schema)),
            "type",
            "object"));

    Map<String, Object> document = new LinkedHashMap<>();
    document.put("swagger", "2.0");
    document.put("info", info);
    document.put("schemes", List.of("https"));
    document.put("host", "");
    document.put("basePath", "");
    document.put(
        "paths",
        Map.of(
            "/api/model/info", Map.of("get", infoGet),
            "/api/model/invoke", Map.of("post", invokePost)));
    try {
      byte[] body = JSON.writeValueAsBytes(document);
      byte[] withNewline = java.util.Arrays.copyOf(body, body.length + 1);
      withNewline[body.length] = '\n';
      return withNewline;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * ODAHU's {@code generate_input_props}, keys in its order (the batch CLI's {@code info} prints
   * them unsorted).
   */
  public static Map<String, Object> inputProperties(ModelSchema schema) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("items", ordered("items", Map.of("type", "number"), "type", "array"));
    data.put("type", "array");
    data.put("example", List.of(examples(schema.input())));
    return ordered("columns", stringArray(names(schema.input())), "data", data);
  }

  /** ODAHU's {@code generate_output_props}, keys in its order. */
  public static Map<String, Object> outputProperties(ModelSchema schema) {
    Map<String, Object> prediction = new LinkedHashMap<>();
    prediction.put("example", List.of(examples(schema.output())));
    prediction.put("items", Map.of("type", "number"));
    prediction.put("type", "array");
    return ordered("prediction", prediction, "columns", stringArray(names(schema.output())));
  }

  private static Map<String, Object> stringArray(List<String> example) {
    Map<String, Object> array = new LinkedHashMap<>();
    array.put("example", example);
    array.put("items", Map.of("type", "string"));
    array.put("type", "array");
    return array;
  }

  private static Map<String, Object> ordered(
      String key1, Object value1, String key2, Object value2) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(key1, value1);
    map.put(key2, value2);
    return map;
  }

  private static List<String> names(List<SchemaField> fields) {
    return fields.stream().map(SchemaField::name).toList();
  }

  private static List<Object> examples(List<SchemaField> fields) {
    List<Object> examples = new ArrayList<>();
    for (SchemaField field : fields) {
      examples.add(example(field.example()));
    }
    return examples;
  }

  /**
   * An example as {@code json.dumps} writes it: floats as Python's {@code repr} ({@code 1e-05}, not
   * Java's {@code 1.0E-5}), objects with their keys sorted.
   */
  private static Object example(JsonNode node) {
    if (node.isFloatingPointNumber()) {
      return new RawValue(PythonFloats.dumps(node.doubleValue()));
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>(node.size());
      node.forEach(item -> items.add(example(item)));
      return items;
    }
    if (node.isObject()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      node.properties().forEach(field -> fields.put(field.getKey(), example(field.getValue())));
      return fields;
    }
    return JSON.convertValue(node, Object.class);
  }
}
