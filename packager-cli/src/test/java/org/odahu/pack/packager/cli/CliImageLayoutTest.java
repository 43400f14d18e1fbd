package org.odahu.pack.packager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.layout.ImageLayout;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.manifest.PackagingValidator;
import org.odahu.pack.packager.run.PackagingPlans;
import org.odahu.pack.packager.testing.LayoutPlans;

/** The docker-cli layout as the distribution finds it. */
class CliImageLayoutTest {
  private final ImageLayouts layouts = ImageLayouts.load(getClass().getClassLoader());

  @TempDir Path temp;

  @Test
  void foundThroughServiceLoaderWithAValidBuiltInIntegration() {
    ImageLayout layout = layouts.byId("docker-cli").orElseThrow();
    assertInstanceOf(CliImageLayout.class, layout);
    PackagingValidator.validate(layout.builtInIntegration());
    assertEquals("odahu-pack-to-cli", layout.builtInIntegration().spec().entrypoint());
  }

  @Test
  void theInputMatrixIsListsUnlessThePackagingAsksForArrays() throws IOException {
    assertEquals("lists", inputMatrix("{}"));
    assertEquals("ndarray", inputMatrix("{inputMatrix: ndarray}"));
    PackagingException other =
        assertThrows(PackagingException.class, () -> inputMatrix("{inputMatrix: numpy}"));
    assertTrue(other.getMessage().contains("$.inputMatrix"), other.getMessage());
  }

  /** A cluster's mp.json is not checked against the schema: the layout refuses what cannot run. */
  @Test
  void withoutASchemaAnInputMatrixOrJavaHomeTheImageCannotRunWithIsRefused() throws IOException {
    for (String[] refused :
        new String[][] {
          {
            "{\"inputMatrix\": \"numpy\"}",
            "Argument inputMatrix must be lists or ndarray, got 'numpy'"
          },
          {
            "{\"javaHome\": \"jre\"}",
            "Argument javaHome must be an absolute path in the base image, got 'jre'"
          }
        }) {
      Path mp =
          Files.writeString(
              temp.resolve("mp.json"),
              """
              {"modelPackaging": {"id": "p", "spec": {"artifactName": "simple.zip",
                 "integrationName": "docker-cli", "arguments": %s}},
               "packagingIntegration": {"id": "docker-cli", "spec": {"entrypoint": "odahu-flow-pack-to-cli",
                 "defaultImage": "packager:1"}}}
              """
                  .formatted(refused[0]));
      PackagingPlan packaging = new PackagingPlans(layouts).cluster(mp);
      PackagingException e =
          assertThrows(
              PackagingException.class, () -> new CliImageLayout().checkArguments(packaging));
      assertEquals(refused[1], e.getMessage());
    }
  }

  /** One Python worker, which the heap's share of the container (50 %) is sized for. */
  @Test
  void batchRunsOneWorkerAsTheHeapIsSizedFor() throws IOException {
    var environment = LayoutPlans.simple(layouts, temp, "docker-cli", "{}").environment();
    assertEquals("1", environment.get("ODAHU_WORKERS"));
    assertEquals("-XX:MaxRAMPercentage=50", environment.get("JDK_JAVA_OPTIONS"));
  }

  /** Batch work holds chunks of rows: a young generation of 24 MiB, not the server's 10 MiB. */
  @Test
  void batchKeepsALargerYoungGenerationThanTheServer() throws IOException {
    List<String> entrypoint = LayoutPlans.simple(layouts, temp, "docker-cli", "{}").entrypoint();
    assertTrue(entrypoint.contains("-XX:+UseSerialGC"), entrypoint.toString());
    assertTrue(entrypoint.contains("-Xmn24m"), entrypoint.toString());
  }

  /** {@code ODAHU_INPUT_MATRIX} of the image that packaging {@code arguments} plan. */
  private String inputMatrix(String arguments) throws IOException {
    return LayoutPlans.simple(layouts, temp, "docker-cli", arguments)
        .environment()
        .get("ODAHU_INPUT_MATRIX");
  }
}
