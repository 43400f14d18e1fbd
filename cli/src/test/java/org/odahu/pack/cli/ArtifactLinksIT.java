package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.testing.Trees;

/**
 * Every command that reads a directory artifact refuses a link that leaves it, before anything is
 * built or started, and {@code pack run} copies links that stay inside as what they point to.
 */
class ArtifactLinksIT {
  @TempDir Path temp;
  private Path artifacts;
  private Path artifact;
  private Path secret;

  @BeforeEach
  void artifactWithAHostFileLinkedIn() throws IOException {
    artifacts = Files.createDirectories(temp.resolve("artifacts"));
    artifact = artifacts.resolve("simple");
    Trees.copy(Examples.artifact("simple"), artifact);
    secret = Files.writeString(temp.resolve("host-secret.txt"), "host secret");
  }

  private void linkTheHostFile() throws IOException {
    Files.createSymbolicLink(artifact.resolve("odahuflow_model/notes.txt"), secret);
  }

  private void assertRefused(OdahuPackIT.Run run) {
    assertEquals(1, run.status(), run.err());
    String error = run.err().lines().reduce((first, second) -> second).orElse("");
    assertTrue(error.startsWith("Error: "), run.err());
    assertTrue(
        error.contains(
            "Refusing the model artifact's file 'odahuflow_model/notes.txt': link to '"
                + secret
                + "' points outside the artifact"),
        run.err());
  }

  private Path manifest() throws IOException {
    return Files.writeString(
        temp.resolve("packaging.yaml"),
        "kind: ModelPackaging\nid: simple-rest\nspec: {artifactName: simple.zip, integrationName:"
            + " docker-rest, arguments: {imageName: \"odahu/{{ Name }}:{{ Version }}\"}}\n");
  }

  private OdahuPackIT.Run packRun(Path output) throws IOException {
    return OdahuPackIT.odahuPack(
        "pack",
        "run",
        "--id",
        "simple-rest",
        "-f",
        manifest().toString(),
        "--artifact-path",
        artifacts.toString(),
        "--output",
        output.toString(),
        "--result-dir",
        temp.toString());
  }

  @Test
  void packRunRefusesALinkToAHostFileAndBuildsNothing() throws IOException {
    linkTheHostFile();
    Path output = temp.resolve("simple.tar");
    assertRefused(packRun(output));
    assertFalse(Files.exists(output));
  }

  @Test
  void localCommandsRefuseItBeforeStartingTheModel() throws IOException {
    linkTheHostFile();
    String python = "--python=" + Examples.python();
    assertRefused(OdahuPackIT.odahuPack("info", artifact.toString(), python));
    assertRefused(OdahuPackIT.odahuPack("gppi", "test", artifact.toString(), python));
    assertRefused(
        OdahuPackIT.odahuPack(
            "predict",
            artifact.toString(),
            Examples.data("wine-request.json").toString(),
            temp.toString(),
            python));
    assertRefused(
        OdahuPackIT.odahuPack(
            "serve", artifact.toString(), "--host", "127.0.0.1", "--port", "0", python));
  }

  @Test
  void packRunCopiesLinksThatStayInsideAsWhatTheyPointTo() throws IOException {
    Path model = artifact.resolve("odahuflow_model");
    Files.writeString(model.resolve("v2.txt"), "model notes");
    Files.createSymbolicLink(model.resolve("notes.txt"), Path.of("v2.txt"));
    Files.createDirectories(artifact.resolve("shared"));
    Files.writeString(artifact.resolve("shared/table.csv"), "a,b\n");
    Files.createSymbolicLink(model.resolve("shared"), Path.of("../shared"));
    Path output = temp.resolve("simple.tar");
    OdahuPackIT.Run run = packRun(output);
    assertEquals(0, run.status(), run.err());

    Path rootfs = temp.resolve("rootfs");
    ImageTarball.read(output).unpack(rootfs);
    Path notes = rootfs.resolve("app/odahuflow_model/notes.txt");
    assertTrue(Files.isRegularFile(notes, LinkOption.NOFOLLOW_LINKS), "a copy, not a link");
    assertEquals("model notes", Files.readString(notes));
    Path table = rootfs.resolve("app/odahuflow_model/shared/table.csv");
    assertTrue(Files.isRegularFile(table, LinkOption.NOFOLLOW_LINKS), "the directory's files");
    assertEquals("a,b\n", Files.readString(table));
    Trees.delete(rootfs);
  }
}
