package org.odahu.pack.server.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.channel.embedded.EmbeddedChannel;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.SchemaField;
import org.odahu.pack.server.RouteOptions;
import org.odahu.pack.server.cors.CorsPolicy;
import org.odahu.pack.server.http.Route;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Response;

/**
 * {@code /openapi.json} and {@code /openapi.yaml}: valid OpenAPI 3.1 for swagger-parser (no error,
 * no warning), describing every route the server serves, with the model's schemas and examples.
 */
class OpenApiDocumentTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A model with a column of each kind ODAHU's info() gives, names that need escaping too. */
  static final ModelSchema SCHEMA =
      new ModelSchema(
          List.of(
              new SchemaField("fixed acidity", "number", DoubleNode.valueOf(7.4), true),
              new SchemaField("count", "integer", IntNode.valueOf(0), true),
              new SchemaField("colour \"name\"", "string", TextNode.valueOf(""), true),
              new SchemaField("when", null, null, false)),
          List.of(new SchemaField("quality", "number", IntNode.valueOf(0), true)));

  static EmbeddedServer server(RouteOptions options) {
    return EmbeddedServer.builder(new InMemoryBackend().schema(SCHEMA))
        .routeOptions(options)
        .build();
  }

  static Response get(EmbeddedServer server, String path) {
    EmbeddedChannel channel = server.channel();
    List<Response> responses = RawHttp.exchange(channel, RawHttp.get(path));
    assertFalse(channel.finishAndReleaseAll());
    assertEquals(200, responses.get(0).status());
    return responses.get(0);
  }

  static SwaggerParseResult parse(String text) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setValidateInternalRefs(true);
    return new OpenAPIParser().readContents(text, null, options);
  }

  @Test
  void theDocumentIsValidOpenApi31WithoutWarnings() {
    EmbeddedServer server = server(RouteOptions.DEFAULTS);
    for (String path : List.of("/openapi.json", "/openapi.yaml")) {
      SwaggerParseResult result = parse(get(server, path).body());
      assertEquals(List.of(), result.getMessages(), path);
      assertNotNull(result.getOpenAPI(), path);
      assertEquals("3.1.0", result.getOpenAPI().getOpenapi(), path);
      assertEquals("test-model", result.getOpenAPI().getInfo().getTitle());
    }
  }

  @Test
  void itDescribesEveryRouteTheServerServes() throws Exception {
    EmbeddedServer server = server(new RouteOptions(true, new CorsPolicy(List.of("*")), "test"));
    JsonNode paths = JSON.readTree(get(server, "/openapi.json").body()).get("paths");
    List<String> described = new ArrayList<>();
    paths
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(method -> described.add(method + " " + path.getKey())));
    List<String> served = new ArrayList<>();
    for (Route route : server.edge().router().routes()) {
      if (!route.method().equals("OPTIONS")) {
        served.add(route.method().toLowerCase(Locale.ROOT) + " " + Operations.path(route));
      }
    }
    assertEquals(served, described);
    assertTrue(
        served.contains("post /v2/models/{name}/versions/{version}/infer"), served.toString());
    for (JsonNode item : paths) {
      for (JsonNode operation : item) {
        assertTrue(operation.has("tags"), "a documented operation: " + operation);
      }
    }
  }

  @Test
  void theModelsColumnsAndExamplesAreInTheDocument() throws Exception {
    JsonNode document = JSON.readTree(get(server(RouteOptions.DEFAULTS), "/openapi.json").body());
    JsonNode row = document.at("/components/schemas/ModelInputRow");
    assertEquals("number", row.at("/properties/fixed acidity/type").asText());
    assertEquals(7.4, row.at("/properties/fixed acidity/examples/0").asDouble());
    assertEquals("integer", row.at("/properties/count/type").asText());
    assertEquals(
        "[\"fixed acidity\",\"count\",\"colour \\\"name\\\"\"]", row.get("required").toString());
    JsonNode invoke =
        document.at(
            "/paths/~1api~1model~1invoke/post/requestBody/content/application~1json/example");
    assertEquals(
        "{\"columns\":[\"fixed acidity\",\"count\",\"colour \\\"name\\\"\",\"when\"],\"data\":[[7.4,0,\"\",null]]}",
        invoke.toString());
    JsonNode infer = document.at("/paths/~1v2~1models~1{name}~1infer/post");
    assertEquals("[\"test-model\"]", infer.at("/parameters/0/schema/enum").toString());
    JsonNode perColumn =
        infer.at("/requestBody/content/application~1json/examples/perColumn/value/inputs");
    assertEquals(4, perColumn.size());
    assertEquals("INT64", perColumn.get(1).get("datatype").asText());
    assertEquals("BYTES", perColumn.get(3).get("datatype").asText());
    assertTrue(
        infer.at("/requestBody/content/application~1json/examples/matrix").isMissingNode(),
        "mixed datatypes: no 2-D example");
    assertEquals(
        "\"fixed acidity\",count,\"colour \"\"name\"\"\",when\n"
            .replace("\"fixed acidity\"", "fixed acidity"),
        document
                .at("/paths/~1invocations/post/requestBody/content/text~1csv/example")
                .asText()
                .lines()
                .findFirst()
                .orElseThrow()
            + "\n");
  }
}
