package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * {@code invoke predict --input-matrix ndarray} with a real CPython worker and the {@code matrix}
 * test model: rows of numbers from every input format reach the model as float64 arrays, other rows
 * as lists.
 */
class BatchInputMatrixIT {
  @TempDir Path temp;

  /** The result lines of predicting {@code input} one row per chunk, with {@code options}. */
  private List<String> predict(String fileName, String input, String... options) throws Exception {
    Path file = Files.writeString(temp.resolve(fileName), input);
    Path out = temp.resolve("out-" + fileName);
    List<String> argv =
        new ArrayList<>(
            List.of(
                "predict",
                "-q",
                "--workers",
                "1",
                "--chunk-rows",
                "1",
                "--output-format",
                "jsonl"));
    argv.addAll(List.of(options));
    argv.addAll(List.of(file.toString(), out.toString()));
    InvokeRun run = InvokeRun.of(Examples.testModel("matrix").resolve("odahuflow_model"), argv);
    assertEquals(0, run.status(), run.err());
    return Files.readAllLines(out.resolve("results.jsonl"));
  }

  @Test
  void rowsOfNumbersFromEveryFormatArriveAsArrays() throws Exception {
    String ndarray = "{\"kind\": \"ndarray float64 2\", ";
    assertEquals(
        List.of(ndarray + "\"a\": -1.0, \"b\": 2.5}", ndarray + "\"a\": -3.0, \"b\": 4.0}"),
        predict("in.csv", "a,b\n1,2.5\n\"3\",4\n", "--input-matrix", "ndarray"));
    assertEquals(
        List.of(
            ndarray + "\"col0\": -1.0, \"col1\": 2.5}",
            "{\"kind\": \"list of list\", \"col0\": -3, \"col1\": \"x\"}"),
        predict("in.jsonl", "[1, 2.5]\n[3, \"x\"]\n", "--input-matrix", "ndarray"));
    assertEquals(
        List.of(ndarray + "\"a\": -1.0, \"b\": 2.5}", ndarray + "\"a\": -3.0, \"b\": 4.0}"),
        predict(
            "in.json",
            "{\"columns\": [\"a\", \"b\"], \"data\": [[1, 2.5], [3, 4]]}",
            "--input-matrix",
            "ndarray"));
    assertEquals(
        List.of(
            "{\"kind\": \"list of list\", \"a\": -1, \"b\": 2.5}",
            "{\"kind\": \"list of list\", \"a\": -3, \"b\": 4}"),
        predict("in.csv", "a,b\n1,2.5\n3,4\n"));
  }
}
