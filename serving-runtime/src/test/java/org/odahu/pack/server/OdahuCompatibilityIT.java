package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.batch.BatchRunner;
import org.odahu.pack.gppi.BatchingPolicy;

/**
 * What ODAHU's model server handed to the model, this one hands over too, with the same answer: the
 * same requests go to the server (real CPython workers) and to ODAHU's own handler logic run in
 * Python against the same model (spec: invoke step 4, {@code body.get('data')}, {@code if not
 * matrix}, {@code predict_on_matrix(matrix, provided_columns_names=body.get('columns'))}). The one
 * deliberate difference: no matrix is a 400 here, ODAHU's blanket 500 there.
 */
class OdahuCompatibilityIT {
  /** Requests ODAHU passed to the model (or refused with "Matrix is not provided"). */
  private static final List<String> REQUESTS =
      List.of(
          "{\"columns\": \"Destiny line\", \"data\": [[1, 2, 3, 4]]}",
          "{\"columns\": [\"a\"], \"data\": [[1, 2]]}",
          "{\"columns\": [\"a\", \"b\", \"c\"], \"data\": [[1, 2]]}",
          "{\"data\": [[1, 2], [3]]}",
          "{\"data\": [1, 2, 3]}",
          "{\"columns\": [\"x\"], \"data\": [1, 2]}",
          "{\"data\": {\"a\": [1, 2]}}",
          "{\"data\": \"text\"}",
          "{\"data\": 5}",
          "{\"data\": [[1, 2]], \"columns\": null}",
          "{\"data\": [[]]}",
          "{\"columns\": [1, 2], \"data\": [[1, 2]]}",
          "{\"data\": [[1, null], [\"x\", 2.5]], \"columns\": [\"a\", \"b\"]}",
          "{\"data\": 0}",
          "{\"data\": {}}",
          "{\"data\": []}");

  /** ODAHU's handler, step 4, for each request on stdin; one JSON answer per line. */
  private static final String ODAHU_HANDLER =
      """
      import importlib, json, sys
      answers, sys.stdout = sys.stdout, sys.stderr  # what the model prints is not an answer
      sys.path.insert(0, sys.argv[1])
      model = importlib.import_module('entrypoint')
      model.init()
      for line in sys.stdin:
          body = json.loads(line)
          matrix = body.get('data')
          columns = body.get('columns', None)
          if not matrix:
              print(json.dumps({'status': 500, 'message': 'Matrix is not provided'}), file=answers)
              continue
          try:
              prediction, names = model.predict_on_matrix(matrix, provided_columns_names=columns)
              print(json.dumps({'status': 200, 'prediction': prediction.tolist(),
                                'columns': list(names)}), file=answers)
          except Exception as error:
              print(json.dumps({'status': 500,
                                'message': 'Exception during prediction: %s' % error}),
                    file=answers)
      """;

  @TempDir Path temp;

  private List<JsonNode> odahuAnswers(Path artifact) throws Exception {
    Path workDir;
    try (ModelArtifact opened = ModelArtifact.open(artifact)) {
      workDir = opened.workDir();
    }
    Path script = Files.writeString(temp.resolve("odahu_handler.py"), ODAHU_HANDLER);
    Process python =
        new ProcessBuilder(Examples.python().toString(), script.toString(), workDir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (var in = python.getOutputStream()) {
      for (String request : REQUESTS) {
        in.write((request + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, python.waitFor(), out);
    List<JsonNode> answers = new ArrayList<>();
    out.lines().forEach(line -> answers.add(ModelServerIT.read(line)));
    assertEquals(REQUESTS.size(), answers.size(), out);
    return answers;
  }

  /** Ours, in the shape of the Python side's answers. */
  private static JsonNode ours(HttpResponse<String> response) {
    JsonNode body = ModelServerIT.read(response.body());
    var answer = JsonNodeFactory.instance.objectNode();
    answer.put("status", response.statusCode() == 400 ? 500 : response.statusCode());
    if (response.statusCode() == 200) {
      answer.set("prediction", body.get("prediction"));
      answer.set("columns", body.get("columns"));
    } else {
      answer.set("message", body.get("message"));
    }
    return answer;
  }

  private void sameAnswersAsOdahu(String model, Path artifact) throws Exception {
    List<JsonNode> expected = odahuAnswers(artifact);
    ServerConfig config =
        ModelServerIT.config(artifact)
            .workers(2)
            .batching(new BatchingPolicy(true, 1024, Duration.ZERO))
            .build();
    ModelServerIT.serve(
        config,
        true,
        client -> {
          for (int i = 0; i < REQUESTS.size(); i++) {
            HttpResponse<String> response = client.invoke(REQUESTS.get(i));
            assertEquals(expected.get(i), ours(response), model + ": " + REQUESTS.get(i));
            if (response.statusCode() == 400) {
              assertEquals("{\"message\": \"Matrix is not provided\"}", response.body());
            }
          }
          allAtOnceGetTheSameAnswers(model, client, expected);
        });
  }

  /** Concurrent requests of every shape, merging allowed: each still gets its own answer. */
  private static void allAtOnceGetTheSameAnswers(
      String model, ModelServerIT.Client client, List<JsonNode> expected) {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (String request : REQUESTS) {
          sent.add(clients.submit(() -> client.invoke(request)));
        }
      }
      for (int i = 0; i < sent.size(); i++) {
        HttpResponse<String> response = sent.get(i).get(60, TimeUnit.SECONDS);
        int index = i % REQUESTS.size();
        assertEquals(expected.get(index), ours(response), model + ": " + REQUESTS.get(index));
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void odahusTestModelAnswersEveryRequestOdahuPassedToIt() throws Exception {
    sameAnswersAsOdahu("simple", Examples.artifact("simple"));
  }

  @Test
  void pandasDecidesWhatOdahusMlflowWrapperWouldBuildFromARequest() throws Exception {
    sameAnswersAsOdahu("frame", Examples.testModel("frame"));
  }

  @Test
  void theBatchCliPassesWhatOdahusCliPassed() throws IOException {
    Path input =
        Files.writeString(
            temp.resolve("input.json"),
            "{\"columns\": \"Destiny line\", \"data\": [[1, 2, 3, 4]]}");
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("simple"));
        BatchRunner runner =
            new BatchRunner(artifact, BatchRunner.defaults().python(Examples.python()).build())) {
      Path output = runner.predict(input, temp.resolve("out"), BatchRunner.DEFAULT_OUTPUT);
      assertEquals("{\"prediction\": [[42]], \"columns\": [\"result\"]}", Files.readString(output));
    }
  }
}
