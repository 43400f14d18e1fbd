package org.odahu.pack.packager.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read packaging cannot be changed through what it hands out. */
class ModelPackagingSpecTest {
  @TempDir Path temp;

  @Test
  void argumentsAreACopy() throws IOException {
    Path file =
        Files.writeString(
            temp.resolve("p.yaml"),
            "kind: ModelPackaging\nid: w\nspec: {artifactName: a.zip, integrationName: docker-rest,"
                + " arguments: {port: 8080, extra: {nested: 1}}}\n");
    ModelPackagingSpec packaging =
        ResourceSet.read(List.of(file), List.of()).packaging("w").orElseThrow();
    ObjectNode handedOut = packaging.spec().arguments();
    handedOut.put("port", 1);
    ((ObjectNode) handedOut.get("extra")).put("nested", 2);
    assertEquals(8080, packaging.spec().arguments().get("port").asInt());
    assertEquals(1, packaging.spec().arguments().at("/extra/nested").asInt());
  }
}
