package org.odahu.pack.server.odahu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.SchemaField;

class SwaggerDocumentTest {
  @Test
  void nonAsciiIsEscapedLikeFlasksJsonify() {
    ModelSchema schema =
        new ModelSchema(
            List.of(new SchemaField("qualité", "string", TextNode.valueOf("😀"), true)),
            List.of(
                new SchemaField("note", "number", JsonNodeFactory.instance.numberNode(1), true)));
    byte[] swagger = SwaggerDocument.render(schema, "modèle", "1.0");
    String text = new String(swagger, StandardCharsets.US_ASCII);
    for (byte b : swagger) {
      assertTrue(b >= 0, "a non-ASCII byte in " + text);
    }
    // Python's json.dumps(ensure_ascii=True): lower-case hex, surrogate pairs as two escapes.
    assertTrue(text.contains("\"example\":[\"qualit\\u00e9\"]"), text);
    assertTrue(text.contains("\"example\":[[\"\\ud83d\\ude00\"]]"), text);
    assertTrue(text.contains("\"title\":\"mod\\u00e8le\""), text);
  }

  /** Examples as json.dumps writes them: Python's float repr, object keys sorted. */
  @Test
  void floatExamplesAreWrittenAsPythonWritesThem() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ModelSchema schema =
        new ModelSchema(
            List.of(
                new SchemaField("a", "number", json.numberNode(1e-5), true),
                new SchemaField("b", "number", json.numberNode(12345678.9), true),
                new SchemaField("c", "number", json.numberNode(1e16), true),
                new SchemaField(
                    "d", "object", json.objectNode().put("z", 0.0005).put("y", 1.5), true)),
            List.of(new SchemaField("p", "number", json.numberNode(0.5), true)));
    String text = new String(SwaggerDocument.render(schema, "m", "1.0"), StandardCharsets.US_ASCII);
    assertTrue(
        text.contains("\"example\":[[1e-05,12345678.9,1e+16,{\"y\":1.5,\"z\":0.0005}]]"), text);
  }
}
