package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * {@code image run -v}: a real docker-cli image of the wine model, packed by {@code pack run},
 * predicts a host file into a host directory under bwrap, as {@code docker run -v} would.
 */
class ImageRunVolumesIT {
  @TempDir Path temp;

  private Path packWineCli() throws Exception {
    Path manifest =
        Files.writeString(
            temp.resolve("wine-cli.yaml"),
            "kind: ModelPackaging\nid: wine-cli\nspec: {artifactName: wine.zip, integrationName:"
                + " docker-cli, arguments: {imageName: \"odahu/wine-cli:1.0\"}}\n");
    Path tarball = temp.resolve("wine-cli.tar");
    OdahuPackIT.Run pack =
        OdahuPackIT.odahuPack(
            "pack",
            "run",
            "--id",
            "wine-cli",
            "-f",
            manifest.toString(),
            "--artifact-path",
            Examples.directory().toString(),
            "--output",
            tarball.toString(),
            "--result-dir",
            temp.toString());
    assertEquals(0, pack.status(), pack.err());
    return tarball;
  }

  @Test
  void theDockerCliImagePredictsAHostFileIntoAHostDirectory() throws Exception {
    Path tarball = packWineCli();
    Path rootfs = temp.resolve("rootfs");
    Path input = Files.createDirectories(temp.resolve("in"));
    Files.copy(Examples.data("wine-request.json"), input.resolve("request.json"));
    Path output = Files.createDirectories(temp.resolve("out"));

    OdahuPackIT.Run run =
        OdahuPackIT.odahuPack(
            "image",
            "run",
            tarball.toString(),
            "--rootfs",
            rootfs.toString(),
            "-v",
            input + ":/in:ro",
            "--volume",
            output + ":/io",
            "--",
            "predict",
            "/in/request.json",
            "/io/");
    assertEquals(0, run.status(), run.err());
    OdahuPackIT.assertWinePrediction(Files.readString(output.resolve("results.json")));

    // Read-only means read-only: the model's answer cannot be written into /in.
    OdahuPackIT.Run readOnly =
        OdahuPackIT.odahuPack(
            "image",
            "run",
            tarball.toString(),
            "--rootfs",
            rootfs.toString(),
            "-v",
            input + ":/in:ro",
            "--",
            "predict",
            "/in/request.json",
            "/in/");
    assertNotEquals(0, readOnly.status());
    assertFalse(Files.exists(input.resolve("results.json")));
    assertTrue(Files.exists(input.resolve("request.json")));
  }
}
