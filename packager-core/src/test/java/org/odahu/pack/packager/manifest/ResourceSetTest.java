package org.odahu.pack.packager.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;

/** Manifest files as odahuflowctl -f / -d read them. */
class ResourceSetTest {
  @TempDir Path temp;

  @Test
  void multiDocumentYamlJsonArraysAndDirectories() throws IOException {
    Path yaml =
        Files.writeString(
            temp.resolve("a.yaml"),
            "kind: ModelPackaging\nid: one\nspec: {artifactName: a.zip, integrationName: docker-rest}\n---\n"
                + "kind: ModelTraining\nid: ignored\n---\n"
                + "kind: Connection\nid: reg\nspec: {type: docker, uri: r.io, password: c2VjcmV0}\n");
    Path dir = Files.createDirectory(temp.resolve("dir"));
    Files.writeString(
        dir.resolve("b.json"),
        "[{\"kind\": \"ModelPackaging\", \"id\": \"two\", \"spec\": {\"artifactName\": \"b.zip\","
            + " \"integrationName\": \"docker-cli\", \"arguments\": {\"imageName\": \"x:y\"}}}]");
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    ResourceSet resources = ResourceSet.read(List.of(yaml), List.of(dir));
    assertEquals(
        List.of("one", "two"),
        resources.packagings().stream().map(ModelPackagingSpec::id).toList());
    assertEquals(
        "x:y",
        resources.packaging("two").orElseThrow().spec().arguments().get("imageName").asText());
    assertEquals("r.io", resources.connection("reg").orElseThrow().spec().uri());
    assertTrue(!resources.connection("reg").orElseThrow().toString().contains("c2VjcmV0"));
  }

  @Test
  void clearErrors() throws IOException {
    assertTrue(
        assertThrows(
                PackagingException.class,
                () -> ResourceSet.read(List.of(temp.resolve("missing.yaml")), List.of()))
            .getMessage()
            .startsWith("Manifest file not found"));
    Path dir = Files.createDirectory(temp.resolve("manifests"));
    assertEquals(
        "Manifest file "
            + dir
            + " is a directory: give a directory of manifests with -d"
            + " (--manifest-dir)",
        assertThrows(PackagingException.class, () -> ResourceSet.read(List.of(dir), List.of()))
            .getMessage());
    Path file = Files.writeString(temp.resolve("one.yaml"), "kind: ModelTraining\nid: t\n");
    assertEquals(
        "Manifest directory " + file + " is a file: give a manifest file with -f (--manifest-file)",
        assertThrows(PackagingException.class, () -> ResourceSet.read(List.of(), List.of(file)))
            .getMessage());
    Path broken =
        Files.writeString(temp.resolve("broken.yaml"), "kind: ModelPackaging\nid: [unclosed\n");
    assertTrue(refusal(broken).contains("is not valid YAML or JSON"));
    Path noKind = Files.writeString(temp.resolve("nokind.yaml"), "id: x\n");
    assertTrue(refusal(noKind).contains("document 1 is not an ODAHU resource"));
  }

  /** A pipe is read like a file: {@code -f <(kubectl get modelpackaging wine -o yaml)}. */
  @Test
  void aPipeIsAManifestFile() throws Exception {
    Path fifo = temp.resolve("packaging.fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Files.writeString(
                        fifo,
                        "kind: ModelPackaging\nid: piped\nspec: {artifactName: a.zip,"
                            + " integrationName: docker-rest}\n");
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
    ResourceSet resources = ResourceSet.read(List.of(fifo), List.of());
    writer.join();
    assertEquals(
        List.of("piped"), resources.packagings().stream().map(ModelPackagingSpec::id).toList());
  }

  /** A syntax error in a Connection is reported by line and column, never with its line. */
  @Test
  void aSyntaxErrorShowsWhereItIsButNotTheLineWhichMayHoldAPassword() throws IOException {
    String connection = "kind: Connection\nid: reg\nspec:\n  type: docker\n  username: odahu\n";
    String[][] cases = {
      {
        "  password: s3cr3t-Pa55: word\n",
        "mapping values are not allowed here at line 6, column 24"
      },
      {
        "  password: \"s3cr3t-Pa55word\n---\nkind: ModelPackaging\n",
        "while scanning a quoted scalar: found unexpected document separator at line 7, column 1"
      },
      {"  password: s3cr3t-Pa55word\n\t\n", "at line 7, column 1"}
    };
    for (String[] broken : cases) {
      Path file = Files.writeString(temp.resolve("leak.yaml"), connection + broken[0]);
      String message = refusal(file);
      assertTrue(
          message.startsWith("Manifest file " + file + " is not valid YAML or JSON: "), message);
      assertTrue(message.endsWith(broken[1]), message);
      assertFalse(message.contains("Pa55"), message);
      assertFalse(message.contains("\n"), message);
    }
  }

  @Test
  void anAliasIsRefusedNotReadAsItsAnchorsName() throws IOException {
    Path file =
        Files.writeString(
            temp.resolve("alias.yaml"),
            "kind: ModelPackaging\nid: &id wine\nspec:\n  artifactName: *id\n");
    assertEquals(
        "Manifest file " + file + ":4: YAML aliases (*id) are not read; write the value itself",
        refusal(file));
  }

  @Test
  void aManifestFileOverItsLimitIsRefusedUnread() throws IOException {
    Path file = temp.resolve("huge.yaml");
    try (var out = Files.newOutputStream(file)) {
      out.write(new byte[ResourceSet.MAX_FILE_BYTES + 1]);
    }
    assertEquals("Manifest file " + file + " is over 16 MiB: not read", refusal(file));
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedInOneLine() throws IOException {
    Path file =
        Files.writeString(
            temp.resolve("leak3.yaml"),
            "kind: Connection\nid: reg\nspec:\n  type: docker\n  password: [s3cr3tPa55word]\n");
    String message = refusal(file);
    assertEquals(
        "Manifest file "
            + file
            + ": invalid Connection 'reg': spec.password: expected a string, got an array",
        message);
  }

  /** Jackson's message would quote the string, here a registry URL with its password. */
  @Test
  void aFieldOfTheWrongTypeIsNamedWithoutItsValue() throws IOException {
    Path file =
        Files.writeString(
            temp.resolve("leak4.yaml"),
            "kind: Connection\nid: reg\nspec: 'docker://odahu:hunter2-secret@registry.example.com'\n");
    String message = refusal(file);
    assertEquals(
        "Manifest file "
            + file
            + ": invalid Connection 'reg': spec: expected an object, got a string",
        message);
  }

  /** Why reading {@code file} alone is refused. */
  private static String refusal(Path file) {
    return assertThrows(PackagingException.class, () -> ResourceSet.read(List.of(file), List.of()))
        .getMessage();
  }
}
