package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.testing.EcrApi;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.Trees;

/**
 * ODAHU's packager process contract through the distribution's own launcher, as a cluster would run
 * it: {@code odahu-pack-to-rest ARTIFACT_DIR MP_JSON} in a working directory, which receives
 * result.json.
 */
class ClusterContractIT {
  @TempDir Path temp;

  /**
   * {@code bin/<entrypoint> ARTIFACT_DIR MP_JSON [OPTION...]} in {@code workDir}; what it printed.
   */
  private static String pack(
      String entrypoint, Path artifact, Path mpJson, Path workDir, String... options)
      throws Exception {
    List<String> arguments = new ArrayList<>(List.of(artifact.toString(), mpJson.toString()));
    arguments.addAll(List.of(options));
    Launcher.Result result =
        Launcher.run(Launcher.builder(entrypoint, arguments).directory(workDir.toFile()));
    assertEquals(0, result.status(), result.output());
    return result.output();
  }

  @Test
  void packToRestReadsMpJsonPushesAndWritesResultJson() throws Exception {
    Path registryDir = Files.createTempDirectory("odahu-registry-");
    try (LocalRegistry registry = LocalRegistry.start(registryDir)) {
      Path artifact = temp.resolve("output");
      Trees.copy(Examples.artifact("wine"), artifact);
      String mp =
          """
          {"modelPackaging": {"id": "wine-cluster", "spec": {"artifactName": "wine.zip", "integrationName": "docker-rest",
             "arguments": {"imageName": "{{ Name }}:{{ Version }}-cluster", "workers": 2}}},
           "packagingIntegration": {"id": "docker-rest", "spec": {"entrypoint": "/opt/odahu-pack/bin/odahu-pack-to-rest",
             "defaultImage": "odahu-pack", "schema": {"arguments": {"properties": [
               {"name": "port", "parameters": [{"name": "type", "value": "integer"}, {"name": "default", "value": 5000}]}]}}}},
           "trainingZipName": "wine.zip",
           "targets": [{"name": "docker-push", "connection": {"id": "local", "spec": {"type": "docker", "uri": "%s/cluster"}}}]}
          """
              .formatted(registry.address());
      Path mpJson = Files.writeString(artifact.resolve("mp.json"), mp);
      Path workDir = Files.createDirectories(temp.resolve("workspace"));
      String output = pack("odahu-pack-to-rest", artifact, mpJson, workDir);
      String image = registry.address() + "/cluster/wine:1.0-cluster";
      assertTrue(output.endsWith("Packager results:\n* image - " + image + "\n"), output);
      assertEquals(
          "{\"image\": \"" + image + "\"}", Files.readString(workDir.resolve("result.json")));
      ImageTarball pulled =
          ImageTarball.read(registry.pull(image, temp.resolve("pulled.tar"), null));
      String env = pulled.config().at("/config/Env").toString();
      assertTrue(env.contains("ODAHU_WORKERS=2") && env.contains("ODAHU_PORT=5000"), env);
      // Two workers: the heap gets 40% of the container; merging requests stays off.
      assertTrue(env.contains("\"JDK_JAVA_OPTIONS=-XX:MaxRAMPercentage=40\""), env);
      assertTrue(env.contains("\"ODAHU_BATCHING=false\""), env);
      Path rootfs = temp.resolve("rootfs");
      pulled.unpack(rootfs);
      assertTrue(
          Files.notExists(rootfs.resolve("app/mp.json")),
          "mp.json holds secrets and stays out of the image");
      Trees.delete(rootfs);
    } finally {
      Trees.delete(registryDir);
    }
  }

  /**
   * An ecr target end to end: the token ECR's API (a stand-in on loopback) gives for the
   * connection's keys is what the push logs in with. The registry is docker-registry on loopback
   * requiring that token; the JVM resolves the ECR host name to it through a hosts file of its own
   * ({@code jdk.net.hosts.file}), and the uri carries the registry's port.
   */
  @Test
  void packToRestPushesToEcrWithTheTokenOfTheConnectionsKeys() throws Exception {
    Path registryDir = Files.createTempDirectory("odahu-registry-");
    try (EcrApi ecr = EcrApi.start();
        LocalRegistry registry = LocalRegistry.start(registryDir, "AWS", EcrApi.PASSWORD)) {
      String port = registry.address().substring(registry.address().lastIndexOf(':') + 1);
      String host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
      Path hosts = Files.writeString(temp.resolve("hosts"), "127.0.0.1 localhost " + host + "\n");
      Path artifact = temp.resolve("output");
      Trees.copy(Examples.artifact("simple"), artifact);
      String mp =
          """
          {"modelPackaging": {"id": "simple-ecr", "spec": {"artifactName": "simple.zip", "integrationName": "docker-rest",
             "arguments": {"imageName": "{{ Name }}:{{ Version }}"}}},
           "packagingIntegration": {"id": "docker-rest", "spec": {"entrypoint": "/opt/odahu-pack/bin/odahu-pack-to-rest",
             "defaultImage": "odahu-pack", "schema": {"arguments": {"properties": []}}}},
           "trainingZipName": "simple.zip",
           "targets": [{"name": "docker-push", "connection": {"id": "aws", "spec": {"type": "ecr",
             "uri": "%s:%s/cluster", "keyID": "AKIAIOSFODNN7EXAMPLE", "keySecret": "wJalrXUtnFEMI/K7MDENG"}}}]}
          """
              .formatted(host, port);
      Path mpJson = Files.writeString(artifact.resolve("mp.json"), mp);
      Path workDir = Files.createDirectories(temp.resolve("workspace"));
      ProcessBuilder builder =
          Launcher.builder(
                  "odahu-pack-to-rest",
                  List.of(
                      artifact.toString(),
                      mpJson.toString(),
                      "--allow-insecure-registries",
                      "--no-verify"))
              .directory(workDir.toFile());
      builder.environment().put("AWS_ENDPOINT_URL_ECR", ecr.endpoint().toString());
      builder.environment().put("ODAHU_PACK_JAVA_OPTS", "-Djdk.net.hosts.file=" + hosts);
      Launcher.Result result = Launcher.run(builder);
      assertEquals(0, result.status(), result.output());
      assertFalse(result.output().contains("wJalrXUtnFEMI"), result.output());
      assertFalse(result.output().contains(EcrApi.PASSWORD), result.output());
      assertEquals(List.of("CreateRepository", "GetAuthorizationToken"), ecr.actions());
      assertEquals("cluster/simple", ecr.calls().get(0).body().path("repositoryName").asText());
      String image = host + ":" + port + "/cluster/simple:1.0";
      assertEquals(
          "{\"image\": \"" + image + "\"}", Files.readString(workDir.resolve("result.json")));
      assertTrue(
          registry
              .manifestDigest(registry.address() + "/cluster/simple:1.0", "AWS:" + EcrApi.PASSWORD)
              .startsWith("sha256:"),
          "the registry holds the image");
    } finally {
      Trees.delete(registryDir);
    }
  }

  @Test
  void packToImageBuildsTheLayoutMpJsonsIntegrationNames() throws Exception {
    Path artifact = temp.resolve("output");
    Trees.copy(Examples.artifact("simple"), artifact);
    String mp =
        """
        {"modelPackaging": {"id": "simple-batch", "spec": {"artifactName": "simple.zip",
           "integrationName": "batch", "arguments": {"imageName": "odahu/{{ Name }}-batch:1"}}},
         "packagingIntegration": {"id": "batch", "spec": {"entrypoint": "/usr/local/bin/odahu-flow-pack-to-cli",
           "defaultImage": "odahu-pack"}},
         "trainingZipName": "simple.zip", "targets": []}
        """;
    Path mpJson = Files.writeString(temp.resolve("mp.json"), mp);
    Path workDir = Files.createDirectories(temp.resolve("workspace"));
    String output = pack("odahu-pack-to-image", artifact, mpJson, workDir);
    assertTrue(output.endsWith("Packager results:\n* image - odahu/simple-batch:1\n"), output);
    String env =
        ImageTarball.read(workDir.resolve("image.tar")).config().at("/config/Env").toString();
    assertTrue(env.contains("\"MODEL_ENTRYPOINT=entrypoint\""), "a docker-cli image: " + env);
  }

  /**
   * ODAHU's local flow ({@code odahuflowctl local pack run}) runs the packager in the artifact's
   * directory, where it writes image.tar and result.json: packaging there again builds the same
   * image, without the first one's tarball, nor the directory a stopped packaging built in, nor the
   * packaging's own file, whatever its name.
   */
  @Test
  void packagingInTheArtifactsDirectoryLeavesItsOwnOutputOutOfTheNextImage() throws Exception {
    Path artifact = temp.resolve("simple-1.0-local");
    Trees.copy(Examples.artifact("simple"), artifact);
    Files.writeString(
        Files.createDirectories(artifact.resolve(".odahu-pack-building-1234")).resolve("image.tar"),
        "left by a stopped packaging");
    // The packaging's file, which holds the targets' passwords, under another name than mp.json.
    Path mpJson =
        Files.writeString(
            Files.createDirectories(artifact.resolve("conf")).resolve("packaging.json"),
            """
            {"modelPackaging": {"id": "simple-cli", "spec": {"artifactName": "simple-1.0-local",
               "integrationName": "docker-cli", "arguments": {"imageName": "odahu/simple-cli:1"}}},
             "packagingIntegration": {"id": "docker-cli", "spec": {"entrypoint": "odahu-pack-to-cli",
               "defaultImage": "odahu-pack"}},
             "trainingZipName": "simple-1.0-local", "targets": []}
            """);
    Files.copy(mpJson, artifact.resolve("mp.json"));
    String output = pack("odahu-pack-to-cli", artifact, mpJson, artifact, "--no-verify");
    assertTrue(
        output.contains(
            mpJson
                + " names no docker-push target: the image is not pushed, only written to "
                + artifact.resolve("image.tar")),
        output);
    String first = ImageTarball.read(artifact.resolve("image.tar")).digest();

    pack("odahu-pack-to-cli", artifact, mpJson, artifact, "--no-verify");
    ImageTarball second = ImageTarball.read(artifact.resolve("image.tar"));
    assertEquals(first, second.digest(), "the same image, without the first one's tarball");
    Path rootfs = temp.resolve("rootfs");
    second.unpack(rootfs);
    assertTrue(Files.isRegularFile(rootfs.resolve("app/gppi/odahuflow.project.yaml")));
    for (String packagingFile :
        List.of(
            "image.tar",
            ".odahu-pack-building-1234",
            "mp.json",
            "result.json",
            "conf/packaging.json")) {
      assertFalse(Files.exists(rootfs.resolve("app/gppi").resolve(packagingFile)), packagingFile);
    }
    Trees.delete(rootfs);
  }
}
