package org.odahu.pack.packager.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.layout.ImageLayout;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.layout.LayoutRequest;
import org.odahu.pack.packager.manifest.PackagingValidator;
import org.odahu.pack.packager.run.PackagingPlans;
import org.odahu.pack.packager.testing.LayoutPlans;

/** The docker-rest layout as the distribution finds it, and the image plan it makes. */
class RestImageLayoutTest {
  private final ImageLayouts layouts = ImageLayouts.load(getClass().getClassLoader());

  @TempDir Path temp;

  @Test
  void foundThroughServiceLoaderWithAValidBuiltInIntegration() {
    ImageLayout layout = layouts.byId("docker-rest").orElseThrow();
    assertInstanceOf(RestImageLayout.class, layout);
    PackagingValidator.validate(layout.builtInIntegration());
    assertEquals("odahu-pack-to-rest", layout.builtInIntegration().spec().entrypoint());
  }

  /** The plan for the simple model packaged with {@code arguments} (YAML flow mapping). */
  ImagePlan plan(String arguments) throws IOException {
    return LayoutPlans.simple(layouts, temp, "docker-rest", arguments);
  }

  @Test
  void theServersSettingsAreEnvironmentVariablesInAFixedOrder() throws IOException {
    ImagePlan plan = plan("{port: 8000, workers: 3}");
    // The order reaches the image config: a fixed one keeps digests equal across JVMs.
    assertEquals(
        List.of(
            "ODAHU_MODEL_NAME",
            "ODAHU_MODEL_VERSION",
            "MODEL_LOCATION",
            "ODAHU_PYTHON",
            "PYTHONUNBUFFERED",
            "JDK_JAVA_OPTIONS",
            "TMPDIR",
            "HOME",
            "USER",
            "PYTHONDONTWRITEBYTECODE",
            "ODAHU_HOST",
            "ODAHU_PORT",
            "ODAHU_TIMEOUT",
            "ODAHU_WORKERS",
            "ODAHU_THREADS",
            "ODAHU_BATCHING",
            "ODAHU_INPUT_MATRIX"),
        List.copyOf(plan.environment().keySet()));
    assertEquals("8000", plan.environment().get("ODAHU_PORT"));
    assertEquals("3", plan.environment().get("ODAHU_WORKERS"));
    assertEquals("/app/odahuflow_model", plan.environment().get("MODEL_LOCATION"));
    assertEquals(8000, plan.exposedPort());
    assertEquals("/app", plan.entrypoint().get(plan.entrypoint().size() - 1));
    assertEquals("model", plan.layers().get(plan.layers().size() - 1).getName());
  }

  @Test
  void theServerRunsAsANonRootUserThatWritesOnlyToTheTemporaryDirectory() throws IOException {
    ImagePlan plan = plan("{}");
    assertEquals("10001:10001", plan.user());
    assertEquals("SIGTERM", plan.stopSignal());
    assertEquals("/tmp", plan.environment().get("TMPDIR"));
    assertEquals("/tmp", plan.environment().get("HOME"), "user.home and ~ without a passwd entry");
    assertEquals("1", plan.environment().get("PYTHONDONTWRITEBYTECODE"));
    assertTrue(plan.entrypoint().contains("-XX:+PerfDisableSharedMem"), "no /tmp/hsperfdata_*");
    assertEquals(Map.of("org.odahu.pack.model.name", "simple"), plan.labels());
    assertEquals(plan.labels(), plan.annotations(), "the labels go on the manifest too");
  }

  @Test
  void theJvmFindsItsClassesInTheArchiveAndTheJarsInTheOrderTheArchiveWasDumpedWith()
      throws IOException {
    List<String> entrypoint = plan("{}").entrypoint();
    assertTrue(
        entrypoint.contains("-XX:SharedArchiveFile=/opt/odahu-pack/class-data/server.jsa"),
        entrypoint::toString);
    // One jar that names the others in order: a wildcard would list them in the file system's.
    int classPath = entrypoint.indexOf("-cp") + 1;
    assertEquals("/opt/odahu-pack/lib/odahu-pack-class-path.jar", entrypoint.get(classPath));
    assertEquals("org.odahu.pack.server.ServerMain", entrypoint.get(classPath + 1));
    // The JVM's warnings (e.g. an archive it cannot use) go to stderr, not the access log.
    assertTrue(entrypoint.contains("-Xlog:all=warning:stderr"), entrypoint::toString);
  }

  @Test
  void theHeapsShareOfTheContainerFollowsTheWorkersAndCanBeChangedAtRunTime() throws IOException {
    assertEquals("-XX:MaxRAMPercentage=50", plan("{}").environment().get("JDK_JAVA_OPTIONS"));
    ImagePlan three = plan("{workers: 3}");
    assertEquals("-XX:MaxRAMPercentage=30", three.environment().get("JDK_JAVA_OPTIONS"));
    assertTrue(
        three.entrypoint().stream().noneMatch(option -> option.contains("RAMPercentage")),
        "an entrypoint option would win over JDK_JAVA_OPTIONS: " + three.entrypoint());
    PackagingException none = assertThrows(PackagingException.class, () -> plan("{workers: 0}"));
    assertTrue(
        none.getMessage().contains("$.workers: must have a minimum value of 1"), none.getMessage());
  }

  @Test
  void theServersJvmKeepsASmallHeapUnderTheSerialCollector() throws IOException {
    List<String> entrypoint = plan("{}").entrypoint();
    assertTrue(entrypoint.contains("-XX:+UseSerialGC"), entrypoint.toString());
    assertTrue(entrypoint.contains("-Xmn10m"), entrypoint.toString());
    assertTrue(entrypoint.contains("-XX:SurvivorRatio=3"), entrypoint.toString());
    assertTrue(entrypoint.contains("-Xms32m"), entrypoint.toString());
    assertTrue(
        entrypoint.stream().noneMatch(option -> option.contains("G1")), entrypoint.toString());
  }

  @Test
  void batchingIsOffUnlessThePackagingTurnsItOn() throws IOException {
    assertEquals("false", plan("{}").environment().get("ODAHU_BATCHING"));
    assertEquals("true", plan("{batching: true}").environment().get("ODAHU_BATCHING"));
    PackagingException notBoolean =
        assertThrows(PackagingException.class, () -> plan("{batching: sometimes}"));
    assertTrue(notBoolean.getMessage().contains("$.batching"), notBoolean.getMessage());
  }

  @Test
  void theInputMatrixIsListsUnlessThePackagingAsksForArrays() throws IOException {
    assertEquals("lists", plan("{}").environment().get("ODAHU_INPUT_MATRIX"));
    assertEquals("ndarray", plan("{inputMatrix: ndarray}").environment().get("ODAHU_INPUT_MATRIX"));
    PackagingException other =
        assertThrows(PackagingException.class, () -> plan("{inputMatrix: numpy}"));
    assertTrue(other.getMessage().contains("$.inputMatrix"), other.getMessage());
  }

  @Test
  void thePortTimeoutAndThreadsTheServerCannotStartWithAreRefusedByTheSchema() {
    for (String arguments :
        List.of("{port: 70000}", "{port: 0}", "{timeout: -5}", "{timeout: 0}", "{threads: 0}")) {
      PackagingException e = assertThrows(PackagingException.class, () -> plan(arguments));
      String name = arguments.substring(1, arguments.indexOf(':'));
      assertTrue(e.getMessage().contains("$." + name + ": must have a m"), e.getMessage());
    }
  }

  /** The plan of the simple model for an mp.json whose integration has no schema. */
  private ImagePlan clusterPlan(String arguments) throws IOException {
    Path mp =
        Files.writeString(
            temp.resolve("mp.json"),
            """
            {"modelPackaging": {"id": "p", "spec": {"artifactName": "simple.zip",
               "integrationName": "docker-rest", "arguments": %s}},
             "packagingIntegration": {"id": "docker-rest", "spec": {"entrypoint": "odahu-flow-pack-to-rest",
               "defaultImage": "packager:1"}}}
            """
                .formatted(arguments));
    PackagingPlan packaging = new PackagingPlans(layouts).cluster(mp);
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("simple"))) {
      LayoutRequest request =
          new LayoutRequest(
              artifact,
              packaging,
              BaseImage.tarball(temp.resolve("b.tar")),
              List.of(),
              LayoutPlans.CLASSES,
              Map.of(),
              file -> false);
      RestImageLayout layout = new RestImageLayout();
      PackagingException early =
          assertThrows(PackagingException.class, () -> layout.checkArguments(packaging));
      PackagingException planned =
          assertThrows(PackagingException.class, () -> layout.plan(request));
      assertEquals(early.getMessage(), planned.getMessage());
      throw planned;
    }
  }

  @Test
  void whatTheServerCannotStartWithIsRefusedClearlyWithoutASchemaAsInACluster() {
    for (String[] refused :
        new String[][] {
          {"{\"workers\": 0}", "Argument workers must be a whole number of at least 1, got 0"},
          {
            "{\"port\": 70000}",
            "Argument port must be a whole number between 1 and 65535, got 70000"
          },
          // No int: not taken as 5000 modulo 2^32.
          {
            "{\"port\": 4294972296}",
            "Argument port must be a whole number between 1 and 65535, got 4294972296"
          },
          {
            "{\"port\": \"http\"}",
            "Argument port must be a whole number between 1 and 65535, got \"http\""
          },
          {"{\"timeout\": -5}", "Argument timeout must be a whole number of at least 1, got -5"},
          {"{\"threads\": 0}", "Argument threads must be a whole number of at least 1, got 0"},
          {
            "{\"inputMatrix\": \"numpy\"}",
            "Argument inputMatrix must be lists or ndarray, got 'numpy'"
          },
          {
            "{\"javaHome\": \"jre\"}",
            "Argument javaHome must be an absolute path in the base image, got 'jre'"
          }
        }) {
      PackagingException e =
          assertThrows(PackagingException.class, () -> clusterPlan(refused[0]), refused[0]);
      assertEquals(refused[1], e.getMessage());
    }
  }

  @Test
  void aClustersNumbersMayBeStringsAsPydanticReadsThem() throws IOException {
    Path mp =
        Files.writeString(
            temp.resolve("mp.json"),
            """
            {"modelPackaging": {"id": "p", "spec": {"artifactName": "simple.zip",
               "integrationName": "docker-rest", "arguments": {"port": "8000", "threads": 2.0}}},
             "packagingIntegration": {"id": "docker-rest", "spec": {"entrypoint": "odahu-flow-pack-to-rest",
               "defaultImage": "packager:1"}}}
            """);
    PackagingPlan packaging = new PackagingPlans(layouts).cluster(mp);
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("simple"))) {
      ImagePlan plan =
          new RestImageLayout()
              .plan(
                  new LayoutRequest(
                      artifact,
                      packaging,
                      BaseImage.tarball(temp.resolve("b.tar")),
                      List.of(),
                      LayoutPlans.CLASSES,
                      Map.of(),
                      file -> false));
      assertEquals("8000", plan.environment().get("ODAHU_PORT"));
      assertEquals("2", plan.environment().get("ODAHU_THREADS"));
    }
  }
}
