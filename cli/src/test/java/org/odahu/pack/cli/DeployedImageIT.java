package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.Sandbox;
import org.odahu.pack.packager.testing.LocalServers;
import org.odahu.pack.packager.testing.Trees;
import picocli.CommandLine;

/**
 * What a cluster would do, without a cluster: the distribution packs a docker-rest image, {@code
 * deploy manifests} describes its Deployment, and the image runs in the pod that Deployment
 * describes — its user and group, its read-only root, its emptyDirs the only writable paths, its
 * environment — and answers the manifest's startup, readiness and liveness probes and a prediction.
 * A manifest that asks for something the image cannot do (another user, a missing writable path, a
 * probe on a route the server lacks) fails here.
 */
class DeployedImageIT {
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void theImageRunsAsItsKubernetesManifestSaysAndServes() throws Exception {
    ImageTarball image = ImageTarball.read(packWine());
    int port = LocalServers.freePort();
    PodSpec pod = deploymentOf(image, port).getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    SecurityContext security = container.getSecurityContext();
    assertEquals(true, security.getReadOnlyRootFilesystem(), "what the sandbox does");
    // runAsUser overrides the image's user; they agree, so runAsNonRoot alone would do too.
    assertEquals(
        security.getRunAsUser() + ":" + security.getRunAsGroup(),
        image.config().at("/config/User").asText());
    Sandbox.Pod sandbox =
        new Sandbox.Pod(
            security.getRunAsUser().intValue(),
            security.getRunAsGroup().intValue(),
            emptyDirMounts(pod, container),
            List.of());

    // Run by root, the sandbox drops to the pod's uid on the host too: it must reach the rootfs.
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path rootfs = temp.resolve("rootfs");
    image.unpack(rootfs);
    List<String> environment = new ArrayList<>();
    container
        .getEnv()
        .forEach(variable -> environment.add(variable.getName() + "=" + variable.getValue()));
    // The pod listens on every interface; the sandbox shares the host's network, so on loopback.
    assertTrue(environment.remove("ODAHU_HOST=0.0.0.0"), environment.toString());
    environment.add("ODAHU_HOST=127.0.0.1");
    Process server =
        Sandbox.asPod(
                rootfs,
                image.config(),
                Sandbox.entrypoint(image.config(), List.of()),
                environment,
                sandbox)
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("server.log").toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      awaitProbe(http, container.getStartupProbe(), server);
      assertEquals(200, get(http, container.getReadinessProbe()), "readiness");
      assertEquals(200, get(http, container.getLivenessProbe()), "liveness");
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/model/invoke"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofFile(Examples.data("wine-request.json")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      JsonNode body = JSON.readTree(response.body());
      assertEquals(Examples.WINE_GOLDEN, body.at("/prediction/0").asDouble(), 1e-9);
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      Trees.delete(rootfs);
    }
  }

  /** {@code odahu-pack pack run} of the wine model into a docker-rest OCI tarball. */
  private Path packWine() throws Exception {
    Path manifest =
        Files.writeString(
            temp.resolve("wine.yaml"),
            "kind: ModelPackaging\nid: wine\nspec:\n  artifactName: wine.zip\n"
                + "  integrationName: docker-rest\n"
                + "  arguments: {imageName: '{{ Name }}:{{ Version }}', workers: 1}\n");
    Path tarball = temp.resolve("wine.tar");
    Launcher.Result result =
        Launcher.run(
            Launcher.builder(
                "odahu-pack",
                List.of(
                    "pack",
                    "run",
                    "--id=wine",
                    "-f",
                    manifest.toString(),
                    "--artifact-path",
                    Examples.directory().toString(),
                    "--result-dir",
                    temp.toString(),
                    "--format=oci",
                    "--output=" + tarball)));
    assertEquals(0, result.status(), result.output());
    return tarball;
  }

  /** The Deployment {@code deploy manifests --format kubernetes} prints for the image. */
  private static Deployment deploymentOf(ImageTarball image, int port) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = OdahuPack.commandLine();
    commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int status =
        commandLine.execute(
            "deploy",
            "manifests",
            "--format=kubernetes",
            "--image=registry.example.com/odahu/wine:1.0",
            "--workers=1",
            "--memory=1Gi",
            "--port=" + port);
    assertEquals(0, status, err.toString());
    List<JsonNode> documents =
        YAML.readValues(YAML.createParser(out.toString()), JsonNode.class).readAll();
    JsonNode deployment =
        documents.stream()
            .filter(document -> document.path("kind").asText().equals("Deployment"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Deployment in " + out));
    assertTrue(image.config().at("/config/ExposedPorts").size() > 0, "the image serves a port");
    return YAML.convertValue(deployment, Deployment.class);
  }

  /** The container's mount paths whose volumes are emptyDirs: what the pod may write to. */
  private static List<String> emptyDirMounts(PodSpec pod, Container container) {
    Set<String> emptyDirs =
        pod.getVolumes().stream()
            .filter(volume -> volume.getEmptyDir() != null)
            .map(Volume::getName)
            .collect(Collectors.toSet());
    List<String> paths =
        container.getVolumeMounts().stream()
            .filter(mount -> emptyDirs.contains(mount.getName()))
            .map(VolumeMount::getMountPath)
            .toList();
    assertEquals(container.getVolumeMounts().size(), paths.size(), "only emptyDirs are mounted");
    return paths;
  }

  /** Waits as long as the probe's period times its failure threshold allows, as a kubelet would. */
  private void awaitProbe(HttpClient http, Probe probe, Process server) throws Exception {
    long until =
        System.nanoTime()
            + TimeUnit.SECONDS.toNanos(
                (long) probe.getPeriodSeconds() * probe.getFailureThreshold());
    while (System.nanoTime() < until) {
      assertTrue(server.isAlive(), () -> "server exited: " + log());
      if (get(http, probe) == 200) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the startup probe never passed: " + log());
  }

  /** The probe's HTTP GET; 0 when nothing answers. */
  private static int get(HttpClient http, Probe probe) throws InterruptedException {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + probe.getHttpGet().getPort().getIntVal()
                + probe.getHttpGet().getPath());
    try {
      return http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(java.time.Duration.ofSeconds(probe.getTimeoutSeconds()))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return 0;
    }
  }

  private String log() {
    try {
      return Files.readString(temp.resolve("server.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
