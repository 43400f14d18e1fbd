package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/** {@code predict} checks its input and output before it starts the model (which takes seconds). */
class PredictChecksFilesFirstIT {
  @TempDir Path temp;

  @Test
  void aMissingInputOrAnUnusableOutputDirectoryFailsBeforeTheModelStarts() throws Exception {
    // An interpreter that leaves a mark when it is started, then runs the real one.
    Path started = temp.resolve("started");
    Path python = Examples.pythonAfter(temp.resolve("python"), "touch '" + started + "'");
    String artifact = Examples.artifact("wine").toString();
    Path missing = temp.resolve("missing.json");

    OdahuPackIT.Run noInput =
        OdahuPackIT.odahuPack(
            "predict", artifact, missing.toString(), temp.toString(), "--python=" + python);
    assertEquals(1, noInput.status());
    assertFalse(Files.exists(started), "the model was started: " + noInput.err());
    assertEquals(
        "Error: Cannot read the input file " + missing + ": no such file\n", noInput.err());

    Path file = Files.writeString(temp.resolve("file"), "");
    OdahuPackIT.Run noOutput =
        OdahuPackIT.odahuPack(
            "predict",
            artifact,
            Examples.data("wine-request.json").toString(),
            file.resolve("out").toString(),
            "--python=" + python);
    assertEquals(1, noOutput.status());
    assertEquals(
        "Error: Cannot write the result file "
            + file.resolve("out/results.json")
            + ": "
            + file
            + " is not a directory\n",
        noOutput.err());
    assertFalse(Files.exists(started), "the model was started");
  }
}
