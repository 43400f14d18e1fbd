package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    Path dangling = Files.createSymbolicLink(temp.resolve("results"), temp.resolve("gone"));
    OdahuPackIT.Run broken =
        OdahuPackIT.odahuPack(
            "predict",
            artifact,
            Examples.data("wine-request.json").toString(),
            dangling.toString(),
            "--python=" + python);
    assertEquals(1, broken.status());
    assertEquals(
        "Error: Cannot write the result file "
            + dangling.resolve("results.json")
            + ": "
            + dangling
            + " is a link to "
            + temp.resolve("gone")
            + ", which is missing\n",
        broken.err());
    assertFalse(Files.exists(started), "the model was started");

    // Root passes access(2) for /sys; only creating a file there shows it takes none.
    OdahuPackIT.Run sys =
        OdahuPackIT.odahuPack(
            "predict",
            artifact,
            Examples.data("wine-request.json").toString(),
            "/sys/kernel",
            "--python=" + python);
    assertEquals(1, sys.status());
    assertTrue(
        sys.err()
            .startsWith(
                "Error: Cannot write the result file /sys/kernel/results.json: /sys/kernel is not"
                    + " writable"),
        sys.err());
    assertFalse(Files.exists(started), "the model was started");

    // The result would replace the input: refused, the input kept.
    Path own = Files.createDirectory(temp.resolve("own"));
    Path input = Files.copy(Examples.data("wine-request.json"), own.resolve("data.json"));
    byte[] before = Files.readAllBytes(input);
    OdahuPackIT.Run over =
        OdahuPackIT.odahuPack(
            "predict",
            artifact,
            input.toString(),
            temp.resolve("own/../own").toString(),
            "-o",
            "data.json",
            "--python=" + python);
    assertEquals(1, over.status());
    assertTrue(
        over.err().contains(": it is the input file, which the result would replace"), over.err());
    assertArrayEquals(before, Files.readAllBytes(input));
    assertFalse(Files.exists(started), "the model was started");

    // So would the side file of rows that failed.
    Path side = Files.writeString(own.resolve("results.errors.jsonl"), "{\"a\": 1}\n");
    OdahuPackIT.Run skipped =
        OdahuPackIT.odahuPack(
            "predict",
            artifact,
            side.toString(),
            own.toString(),
            "--on-error",
            "skip",
            "--python=" + python);
    assertEquals(1, skipped.status());
    assertTrue(
        skipped.err().contains(side + ": it is the input file, which the result would replace"),
        skipped.err());
    assertEquals("{\"a\": 1}\n", Files.readString(side));
    assertFalse(Files.exists(started), "the model was started");
  }
}
