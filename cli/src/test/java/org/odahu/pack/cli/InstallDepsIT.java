package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.testing.LocalServers;
import org.odahu.pack.pydeps.testing.TestIndex;
import org.odahu.pack.pydeps.testing.TestPackages;

/**
 * {@code --install-deps}: the {@code deps} test model's packages, served by a PEP 503 index on
 * loopback (found through pip's own PIP_INDEX_URL), are installed once into the cache for the
 * host's Python and the model's workers import them, for {@code predict} and {@code serve}.
 */
class InstallDepsIT {
  private static final String REQUEST =
      "{\"columns\": [\"a\", \"b\"], \"data\": [[1, 2], [40, 2]]}";
  private static final String ANSWER =
      "{\"prediction\": [[3, 2.0], [42, 2.0]], \"columns\": [\"sum\", \"beta\"]}";

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path wheels;
  @TempDir Path temp;

  @BeforeAll
  static void buildTheIndexWheels() throws Exception {
    TestPackages.write(wheels, Examples.python().toString());
    // For the machine's own Python a linux_x86_64 wheel is a candidate, as with pip (ResolverTest):
    // that decoy would be chosen here, where the others must still never be.
    try (var files = Files.list(wheels)) {
      for (Path wheel : files.filter(f -> f.toString().endsWith("linux_x86_64.whl")).toList()) {
        if (!wheel.getFileName().toString().contains("manylinux")) {
          Files.delete(wheel);
        }
      }
    }
  }

  private ProcessBuilder launcher(TestIndex index, String... arguments) {
    ProcessBuilder builder = Launcher.builder("odahu-pack", List.of(arguments));
    builder.environment().put("ODAHU_PACK_CACHE", temp.resolve("cache").toString());
    // pip's own variable, and none of this machine's pip configuration.
    builder.environment().keySet().removeIf(name -> name.startsWith("PIP_"));
    builder.environment().put("PIP_CONFIG_FILE", "/dev/null");
    builder.environment().put("PIP_INDEX_URL", index.url());
    return builder;
  }

  @Test
  void predictRunsTheModelWithItsInstalledPackagesAndFailsWithoutThem() throws Exception {
    Path request = Files.writeString(temp.resolve("request.json"), REQUEST);
    String model = Examples.testModel("deps").toString();
    String python = "--python=" + Examples.python();
    try (TestIndex index =
        TestIndex.start(wheels).yank("beta-2.1-py3-none-any.whl", "broken release")) {
      Launcher.Result without =
          Launcher.run(
              launcher(index, "predict", model, request.toString(), temp.toString(), python));
      assertEquals(1, without.status(), without.output());
      assertTrue(
          without.output().contains("ModuleNotFoundError: No module named 'alpha'"),
          without.output());

      Launcher.Result with =
          Launcher.run(
              launcher(
                  index,
                  "predict",
                  model,
                  request.toString(),
                  temp.toString(),
                  python,
                  "--install-deps"));
      assertEquals(0, with.status(), with.output());
      assertEquals(ANSWER, Files.readString(temp.resolve("results.json")));
      assertTrue(with.output().contains("  to install (4):"), with.output());
      assertTrue(with.output().contains("Python dependencies installed in "), with.output());
      int requests = index.requests();

      Launcher.Result again =
          Launcher.run(launcher(index, "info", model, python, "--install-deps"));
      assertEquals(0, again.status(), again.output());
      assertTrue(again.output().contains("Python dependencies reused from "), again.output());
      assertEquals(requests, index.requests(), "the environment came from the cache");

      Launcher.Result check =
          Launcher.run(launcher(index, "gppi", "test", model, python, "--install-deps"));
      assertEquals(0, check.status(), check.output());
      assertTrue(
          check.output().contains("GPPI is correct and could be packaged or deployed"),
          check.output());
    }
  }

  @Test
  void serveRunsTheWorkersWithTheInstalledPackages() throws Exception {
    int port = LocalServers.freePort();
    try (TestIndex index =
        TestIndex.start(wheels).yank("beta-2.1-py3-none-any.whl", "broken release")) {
      Process server =
          launcher(
                  index,
                  "serve",
                  Examples.testModel("deps").toString(),
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--python=" + Examples.python(),
                  "--install-deps")
              .redirectOutput(temp.resolve("serve.log").toFile())
              .start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        LocalServers.awaitReady(
            http, port, server, Duration.ofMinutes(2), temp.resolve("serve.log"));
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/model/invoke"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(REQUEST))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(JSON.readTree(ANSWER), JSON.readTree(response.body()));
      } finally {
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
