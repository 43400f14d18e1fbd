package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.commandline.Executables;
import picocli.CommandLine;

/** The docker-cli entrypoint ({@code invoke}) with real CPython and ODAHU's exact output. */
class InvokeCommandIT {
  @TempDir Path temp;

  private static InvokeRun invoke(String model, String... args) {
    Path modelDir = model == null ? null : Examples.artifact(model).resolve("odahuflow_model");
    return InvokeRun.of(modelDir, List.of(args));
  }

  @Test
  void predictWritesOdahusResultFile() throws Exception {
    Path output = temp.resolve("volume");
    InvokeRun run =
        invoke("wine", "predict", Examples.data("wine-request.json").toString(), output + "/");
    assertEquals(0, run.status(), run.err());
    assertEquals(
        "Prediction is successful. Result file: " + output.resolve("results.json") + "\n",
        run.out());
    String result = Files.readString(output.resolve("results.json"), StandardCharsets.UTF_8);
    assertTrue(
        result.matches("\\{\"prediction\": \\[[0-9.]+], \"columns\": \\[\"quality\"]}"), result);
    double value =
        Double.parseDouble(result.substring(result.indexOf('[') + 1, result.indexOf(']')));
    assertEquals(Examples.WINE_GOLDEN, value, 1e-9);
  }

  @Test
  void outputFileNameAndTheSimpleModel() throws Exception {
    Path input =
        Files.writeString(
            temp.resolve("input.json"), "{\"columns\": [\"a\", \"b\"], \"data\": [[1, 2]]}");
    InvokeRun run =
        invoke(
            "simple",
            "predict",
            "--output_file_name",
            "answer.txt",
            input.toString(),
            temp.toString());
    assertEquals(0, run.status(), run.err());
    assertEquals(
        "{\"prediction\": [[42]], \"columns\": [\"result\"]}",
        Files.readString(temp.resolve("answer.txt")));
  }

  @Test
  void infoPrintsTheSchemaAsOdahusPythonDoes() throws Exception {
    String golden =
        new String(
            InvokeCommandIT.class.getResourceAsStream("/cli-info/simple.txt").readAllBytes(),
            StandardCharsets.UTF_8);
    InvokeRun run = invoke("simple", "info");
    assertEquals(0, run.status(), run.err());
    assertEquals(golden, run.out());
  }

  @Test
  void selfCheck() {
    InvokeRun run = invoke("wine", "self_check");
    assertEquals(0, run.status(), run.err());
    assertEquals("Self-check is successful (head_input.pkl: 5 rows predicted)\n", run.out());
  }

  @Test
  void failuresAreOneLineWithExitCode1() throws Exception {
    InvokeRun failing =
        invoke("fail", "predict", Examples.data("wine-request.json").toString(), temp.toString());
    assertEquals(1, failing.status());
    assertEquals("Error: Exception during prediction: Expected error\n", failing.err());
    Path notJson = Files.writeString(temp.resolve("bad.json"), "{\"data\": [[1,");
    InvokeRun bad = invoke("simple", "predict", notJson.toString(), temp.toString());
    assertEquals(1, bad.status());
    assertTrue(bad.err().startsWith("Error: Can not parse input as JSON: "), bad.err());
    InvokeRun missing =
        invoke("simple", "predict", temp.resolve("nothing.json").toString(), temp.toString());
    assertTrue(missing.err().startsWith("Error: Cannot read the input file "), missing.err());
  }

  @Test
  void predictChecksItsFilesBeforeStartingTheModel() throws Exception {
    // An interpreter that leaves a mark when it is started, then runs the real one.
    Path started = temp.resolve("started");
    Path python = Examples.pythonAfter(temp.resolve("python"), "touch '" + started + "'");
    Path notADirectory = Files.writeString(temp.resolve("file"), "");
    String model = Examples.artifact("simple").resolve("odahuflow_model").toString();
    String request = Examples.data("wine-request.json").toString();
    String missing = temp.resolve("missing.json").toString();
    for (List<String> files :
        List.of(
            List.of(missing, temp.toString()),
            List.of(temp.toString(), temp.toString()),
            List.of(request, notADirectory.resolve("out").toString()))) {
      List<String> argv = new ArrayList<>(List.of("--python", python.toString(), "--model", model));
      argv.add("predict");
      argv.addAll(files);
      StringWriter err = new StringWriter();
      CommandLine commandLine = Executables.withEdge(new CommandLine(new InvokeCommand()));
      int status =
          commandLine.setErr(new PrintWriter(err, true)).execute(argv.toArray(new String[0]));
      assertEquals(1, status, err.toString());
      assertFalse(Files.exists(started), "the model was started for " + files + ": " + err);
    }
    InvokeRun missingInput = invoke("simple", "predict", missing, temp.toString());
    assertEquals(
        "Error: Cannot read the input file " + missing + ": no such file\n", missingInput.err());
    InvokeRun notDirectory =
        invoke("simple", "predict", request, notADirectory.resolve("out").toString());
    assertEquals(
        "Error: Cannot write the result file "
            + notADirectory.resolve("out").resolve("results.json")
            + ": "
            + notADirectory
            + " is not a directory\n",
        notDirectory.err());
  }

  @Test
  void withoutSubcommandPrintsHelp() {
    InvokeRun run = invoke(null);
    assertEquals(0, run.status());
    assertTrue(run.out().contains("Usage: invoke"), run.out());
  }
}
