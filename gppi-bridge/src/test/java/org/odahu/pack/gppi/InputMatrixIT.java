package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.BackendTests.answer;
import static org.odahu.pack.gppi.BackendTests.await;
import static org.odahu.pack.gppi.BackendTests.failure;
import static org.odahu.pack.gppi.BackendTests.merging;
import static org.odahu.pack.gppi.BackendTests.options;
import static org.odahu.pack.gppi.BackendTests.send;
import static org.odahu.pack.gppi.BackendTests.utf8;
import static org.odahu.pack.gppi.BackendTests.with;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.testing.Inputs;

/**
 * {@code --input-matrix ndarray} with real CPython workers: matrices of numbers reach the model as
 * writable 2-D float64 arrays, alone or merged, anything else as lists; predictions match the
 * lists'. Without it, numbers that travel packed reach the model as the lists JSON would give.
 */
class InputMatrixIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private static BackendOptions.Builder ndarray() {
    return options().inputMatrix(BackendOptions.NDARRAY);
  }

  @Test
  void numbersArriveAsAWritableFloat64ArrayAndEverythingElseAsLists() throws Exception {
    with(
        Examples.testModel("matrix"),
        ndarray().build(),
        backend -> {
          assertEquals(
              "[[\"ndarray float64 2\",-1.0,2.5],[\"ndarray float64 2\",-3.0,400.0]]",
              answer(backend, "{\"data\":[[1, 2.5], [3,4e2]]}").get("prediction").toString());
          assertEquals(
              "[[\"list of list\",-1,\"x\"]]",
              answer(backend, "{\"data\":[[1,\"x\"]]}").get("prediction").toString());
          assertEquals(
              "[[\"list of list\",-1,null]]",
              answer(backend, "{\"data\":[[1,null]]}").get("prediction").toString());
          assertEquals(
              "[[\"list of list\",-1,[2]]]",
              answer(backend, "{\"data\":[[1,[2]]]}").get("prediction").toString());
        });
    with(
        Examples.testModel("matrix"),
        options().build(),
        backend ->
            assertEquals(
                "[[\"list of list\",-1,2.5]]",
                answer(backend, "{\"data\":[[1,2.5]]}").get("prediction").toString()));
  }

  @Test
  void pythonsNonFiniteLiteralsArriveAsFloats() throws Exception {
    // As MLflow's json.loads reads them; the model negates each row's first value, which would
    // raise on None.
    PredictionInput input =
        PredictionInput.fromJson(null, "[[NaN, 2.5], [-Infinity, 1], [Infinity, 0]]");
    assertArrayEquals(
        new double[] {Double.NaN, 2.5, Double.NEGATIVE_INFINITY, 1, Double.POSITIVE_INFINITY, 0},
        input.numbers());
    with(
        Examples.testModel("matrix"),
        ndarray().build(),
        backend ->
            assertEquals(
                "[[\"ndarray float64 2\",null,2.5],[\"ndarray float64 2\",null,1.0],"
                    + "[\"ndarray float64 2\",null,0.0]]",
                utf8(await(backend.predict(input)).predictionJson())));
    with(
        Examples.testModel("matrix"),
        options().build(),
        backend ->
            assertEquals(
                "[[\"list of list\",null,2.5],[\"list of list\",null,1],"
                    + "[\"list of list\",null,0]]",
                utf8(await(backend.predict(input)).predictionJson())));
  }

  @Test
  void mergedNumericRequestsEachGetTheirOwnRows() throws Exception {
    with(
        Examples.testModel("matrix"),
        ndarray().batching(merging()).build(),
        backend -> {
          List<CompletionStage<Prediction>> calls = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            String row = "[" + i + "," + (i + 0.5) + "]";
            // Every fifth request is not all numbers: it goes alone, as lists.
            String data = i % 5 == 4 ? "[[" + i + ",\"x\"]]" : "[" + row + "," + row + "]";
            calls.add(send(backend, "{\"data\":" + data + "}"));
          }
          for (int i = 0; i < calls.size(); i++) {
            JsonNode prediction = prediction(await(calls.get(i)));
            if (i % 5 == 4) {
              assertEquals("[[\"list of list\"," + -i + ",\"x\"]]", prediction.toString());
            } else {
              assertEquals(2, prediction.size(), prediction.toString());
              for (JsonNode row : prediction) {
                assertEquals("ndarray float64 2", row.get(0).asText());
                assertEquals(-i, row.get(1).asDouble(), 0.0);
                assertEquals(i + 0.5, row.get(2).asDouble(), 0.0);
              }
            }
          }
        });
  }

  @Test
  void wineGivesTheSamePredictionsEitherWay() throws Exception {
    String request = Files.readString(Examples.data("wine-request-100.json"));
    JsonNode[] predictions = new JsonNode[2];
    with(
        Examples.artifact("wine"),
        options().build(),
        backend -> predictions[0] = answer(backend, request).get("prediction"));
    with(
        Examples.artifact("wine"),
        ndarray().build(),
        backend -> predictions[1] = answer(backend, request).get("prediction"));
    assertEquals(100, predictions[0].size());
    for (int i = 0; i < 100; i++) {
      assertEquals(predictions[0].get(i).asDouble(), predictions[1].get(i).asDouble(), 1e-9);
    }
  }

  @Test
  void randomNumbersReachTheModelExactly() throws Exception {
    Random random = new Random(42);
    StringBuilder data = new StringBuilder("[");
    List<Double> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double value =
          switch (i % 4) {
            case 0 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 1 -> random.nextInt(2_000_000) - 1_000_000;
            case 2 -> -random.nextGaussian() * 1e300;
            default -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
          };
      String text =
          i % 3 == 0 ? Double.toString(value) : String.format(Locale.ROOT, "%.17g", value);
      data.append(i == 0 ? "" : ",").append("[").append(text).append(",0]");
      sent.add(Double.parseDouble(text));
    }
    // Every number is written as a float: without ndarray they travel packed too, as lists.
    for (BackendOptions.Builder options : List.of(ndarray(), options())) {
      with(
          Examples.testModel("matrix"),
          options.build(),
          backend -> {
            JsonNode prediction = answer(backend, "{\"data\":" + data + "]}").get("prediction");
            for (int i = 0; i < sent.size(); i++) {
              // The model negated it; Python's repr and Java's parse round-trip exactly.
              assertEquals(-sent.get(i), prediction.get(i).get(1).asDouble(), 0.0, "row " + i);
            }
          });
    }
  }

  @Test
  void withoutNdarrayFloatsArriveAsJsonWouldGiveThem() throws Exception {
    with(
        Examples.testModel("matrix"),
        options().batching(merging()).build(),
        backend -> {
          // Python's json reads 1.0 and 3e2 as floats and 7 as an int, packed or not.
          assertEquals(
              "[[\"list of list\",-1.0,2.5],[\"list of list\",-300.0,-0.0]]",
              answer(backend, "{\"data\":[[1.0, 2.5], [3e2,-0.0]]}").get("prediction").toString());
          assertEquals(
              "[[\"list of list\",-7,2.5]]",
              answer(backend, "{\"data\":[[7,2.5]]}").get("prediction").toString());
          List<CompletionStage<Prediction>> calls = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            calls.add(send(backend, "{\"data\":[[" + (i % 2 == 0 ? i + ".0" : i) + ",0.5]]}"));
          }
          for (int i = 0; i < calls.size(); i++) {
            String first = i % 2 == 0 ? "-" + i + ".0" : Integer.toString(-i);
            assertEquals(
                "[[\"list of list\"," + first + ",0.5]]",
                prediction(await(calls.get(i))).toString());
          }
        });
  }

  @Test
  void withoutNumpyFloatsStillArriveAsLists() throws Exception {
    // The worker builds the lists with numpy when the model has imported it. The pure model has
    // not, and under Python without its site packages could not: here the worker builds them with
    // the standard library, merged requests' rows included.
    with(
        Examples.artifact("pure"),
        options().python(pythonWithoutSite()).batching(merging()).build(),
        backend -> {
          List<CompletionStage<Prediction>> calls = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            String row = "[" + (i + 0.5) + "," + -2.0 * i + ",1e-3]";
            calls.add(send(backend, "{\"data\":[" + row + ",[0.0,0.0,0.0]," + row + "]}"));
          }
          for (int i = 0; i < calls.size(); i++) {
            double expected = 0.75 + 0.5 * (i + 0.5) + -1.25 * (-2.0 * i) + 2.0 * 1e-3;
            assertEquals(
                "[[" + expected + "],[0.75],[" + expected + "]]",
                prediction(await(calls.get(i))).toString(),
                "request " + i);
          }
        });
  }

  @Test
  void withoutNumpyTheWorkerRefusesToStartAndSaysWhy() throws Exception {
    // Python without its site packages: the pure model imports, numpy does not.
    try (ModelArtifact opened = ModelArtifact.open(Examples.artifact("pure"));
        ModelBackend backend =
            ModelBackends.create(opened, ndarray().python(pythonWithoutSite()).build())) {
      ModelStartupException e =
          assertInstanceOf(ModelStartupException.class, failure(backend.start()));
      assertTrue(
          e.getMessage()
              .matches(
                  "--input-matrix ndarray needs numpy: No module named '?numpy'?\\. Install numpy"
                      + " in the Python that runs the model, or leave --input-matrix at lists .*"),
          e.getMessage());
      // Not the model's dependencies: no hint to install what its conda.yaml lists.
      assertFalse(e instanceof MissingModuleException, e.getMessage());
      assertFalse(backend.isReady());
    }
  }

  @Test
  void graalPyCannotTakeArrays() {
    InvalidOptionsException e =
        assertInstanceOf(
            InvalidOptionsException.class,
            assertThrows(
                RuntimeException.class, () -> ndarray().runtime(BackendOptions.GRAALPY).build()));
    assertTrue(e.getMessage().contains("ndarray needs the cpython runtime"), e.getMessage());
  }

  private Path pythonWithoutSite() throws IOException {
    Path python = temp.resolve("python-without-site");
    Files.writeString(python, "#!/bin/sh\nexec " + Examples.python() + " -S \"$@\"\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
    return python;
  }

  private static JsonNode prediction(Prediction prediction) {
    try {
      return JSON.readTree(Inputs.answer(prediction)).get("prediction");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
