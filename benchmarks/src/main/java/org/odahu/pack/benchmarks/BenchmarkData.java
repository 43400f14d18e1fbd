package org.odahu.pack.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.SchemaField;

/** Inputs shared by the benchmarks: the example artifacts and wine requests of N rows. */
final class BenchmarkData {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchmarkData() {}

  /** The example artifacts directory ({@code -Dodahu.examples.dir}, default from the cwd). */
  static Path artifact(String name) {
    String configured = System.getProperty("odahu.examples.dir");
    Path dir = configured != null ? Path.of(configured) : Path.of("examples/target/artifacts");
    Path artifact = dir.resolve(name);
    if (!Files.isDirectory(artifact)) {
      throw new IllegalStateException(
          "example artifact " + artifact + " missing: build the project first (mvn package)");
    }
    return artifact;
  }

  /** The Python interpreter ({@code -Dodahu.python}, default Debian's). */
  static Path python() {
    return Path.of(System.getProperty("odahu.python", BackendOptions.DEFAULT_PYTHON));
  }

  /** A wine request with the first {@code rows} rows of the data set (at most 1000). */
  static String wineRequest(int rows) {
    String dataDir = System.getProperty("odahu.data.dir", "examples/data");
    try {
      String full =
          Files.readString(Path.of(dataDir, "wine-request-1000.json"), StandardCharsets.UTF_8);
      int dataStart = full.indexOf("\"data\":[") + "\"data\":[".length();
      int end = dataStart;
      for (int row = 0; row < rows; row++) {
        end = full.indexOf(']', end) + 1;
      }
      return full.substring(0, dataStart) + full.substring(dataStart, end) + "]}";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * ODAHU's request {@code odahu} as an Open Inference Protocol request: one 2-D FP64 input, its
   * column names in its {@code columns} parameter.
   */
  static String inferenceRequest(String odahu) {
    try {
      JsonNode request = JSON.readTree(odahu);
      JsonNode data = request.get("data");
      ObjectNode input = JSON.createObjectNode().put("name", "wine");
      input.putArray("shape").add(data.size()).add(data.get(0).size());
      input.put("datatype", "FP64").set("data", data);
      input.putObject("parameters").set("columns", request.get("columns"));
      ObjectNode inference = JSON.createObjectNode();
      inference.putArray("inputs").add(input);
      return JSON.writeValueAsString(inference);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The wine model's info(): eleven numeric inputs, its quality out. */
  static ModelSchema wineSchema() {
    List<SchemaField> inputs = new ArrayList<>();
    for (String name :
        List.of(
            "fixed acidity",
            "volatile acidity",
            "citric acid",
            "residual sugar",
            "chlorides",
            "free sulfur dioxide",
            "total sulfur dioxide",
            "density",
            "pH",
            "sulphates",
            "alcohol")) {
      inputs.add(new SchemaField(name, "number", IntNode.valueOf(0), true));
    }
    return new ModelSchema(
        inputs, List.of(new SchemaField("quality", "number", IntNode.valueOf(0), true)));
  }

  /** A request for the pure example with {@code rows} rows. */
  static String pureRequest(int rows) {
    StringBuilder data = new StringBuilder("{\"columns\":[\"x1\",\"x2\",\"x3\"],\"data\":[");
    for (int row = 0; row < rows; row++) {
      data.append(row == 0 ? "" : ",").append('[').append(row).append(",0.5,-1.25]");
    }
    return data.append("]}").toString();
  }
}
