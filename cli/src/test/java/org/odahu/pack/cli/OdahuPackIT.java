package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.manifest.PackagingIntegrationSpec;
import org.odahu.pack.packager.manifest.PackagingValidator;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.server.ModelServer;
import org.odahu.pack.server.ServerConfig;
import picocli.CommandLine;

/** The real commands on the example artifacts, successes and errors, in this JVM. */
class OdahuPackIT {
  @TempDir Path temp;

  record Run(int status, String out, String err) {}

  static Run odahuPack(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = OdahuPack.commandLine();
    commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int status = commandLine.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  /**
   * ODAHU's answer format ({@code {"prediction": [X], "columns": ["quality"]}}, Python's
   * separators) with the wine prediction compared numerically: OpenBLAS picks a kernel per CPU, so
   * the last digits differ between machines.
   */
  static void assertWinePrediction(String answer) {
    Matcher matcher =
        Pattern.compile("\\{\"prediction\": \\[([^\\]]+)], \"columns\": \\[\"quality\"]}\n?")
            .matcher(answer);
    assertTrue(matcher.matches(), answer);
    assertEquals(Examples.WINE_GOLDEN, Double.parseDouble(matcher.group(1)), 1e-9, answer);
  }

  private static String python() {
    return "--python=" + Examples.python();
  }

  @Test
  void predictInfoAndGppiTest() throws Exception {
    Run predict =
        odahuPack(
            "predict",
            Examples.gzipTarball("wine").toString(),
            Examples.data("wine-request.json").toString(),
            temp.toString(),
            python());
    assertEquals(0, predict.status(), predict.err());
    assertEquals("Prediction file: " + temp.resolve("results.json") + "\n", predict.out());
    assertWinePrediction(Files.readString(temp.resolve("results.json")));

    // Every row failed: no "Prediction file" line, as the image's invoke prints no success line.
    Run failed =
        odahuPack(
            "predict",
            Examples.artifact("fail").toString(),
            Examples.data("wine-request.json").toString(),
            temp.resolve("failed").toString(),
            "--on-error",
            "skip",
            python());
    assertEquals(1, failed.status(), failed.err());
    assertTrue(failed.out().startsWith("Rows that failed: 1, written to "), failed.out());
    assertTrue(failed.err().contains("Error: every row failed (1)"), failed.err());

    Run info = odahuPack("info", Examples.artifact("simple").toString(), python());
    assertEquals(0, info.status(), info.err());
    assertTrue(info.out().startsWith("Input schema:\n{\n    \"columns\": {"), info.out());

    Run check = odahuPack("gppi", "test", Examples.deflateZip("wine").toString(), python());
    assertEquals(0, check.status(), check.err());
    assertEquals("OK\nGPPI is correct and could be packaged or deployed\n", check.out());

    Run broken = odahuPack("gppi", "test", Examples.testModel("badimport").toString(), python());
    assertEquals(1, broken.status());
    assertTrue(
        broken
            .err()
            .startsWith(
                "Error: Exception raised while invoke model entrypoint. GPPI self-check failed."),
        broken.err());
    assertTrue(broken.err().contains("odahu_missing_dependency"), broken.err());
    assertEquals(1, broken.err().lines().count(), "one line without --verbose");

    Run noPython =
        odahuPack(
            "gppi", "test", Examples.artifact("simple").toString(), "--python", "/nowhere/python3");
    assertEquals(1, noPython.status());
    assertTrue(
        noPython
            .err()
            .endsWith(
                "/nowhere/python3 cannot be run: No such file or directory. Hint: install Python 3"
                    + " with the model's dependencies, or choose an interpreter (--python,"
                    + " ODAHU_PYTHON).\n"),
        noPython.err());
  }

  private Path manifest(String text) throws Exception {
    return Files.writeString(temp.resolve("packaging.yaml"), text);
  }

  @Test
  void packRunErrorsAreOneLine() throws Exception {
    Run missingManifest =
        odahuPack("pack", "run", "--id", "wine", "-f", temp.resolve("none.yaml").toString());
    assertEquals(1, missingManifest.status());
    assertTrue(
        missingManifest.err().contains("Error: Manifest file not found: "), missingManifest.err());

    Run noManifests = odahuPack("pack", "run", "--id", "wine");
    assertEquals(2, noManifests.status(), "a usage mistake");
    assertTrue(
        noManifests
            .err()
            .startsWith(
                "Error: No manifests: give the file that holds ModelPackaging 'wine' with -f"
                    + " (--manifest-file), or its directory with -d (--manifest-dir)"),
        noManifests.err());

    Path manifest =
        manifest(
            "kind: ModelPackaging\nid: wine\nspec: {artifactName: wine-9.9.zip, integrationName: docker-rest}\n");
    Run unknownId = odahuPack("pack", "run", "--id", "other", "-f", manifest.toString());
    assertEquals(1, unknownId.status());
    assertTrue(
        unknownId
            .err()
            .contains("Error: Model packaging 'other' is not found in the manifest files"),
        unknownId.err());

    Run noArtifact =
        odahuPack(
            "pack",
            "run",
            "--id",
            "wine",
            "-f",
            manifest.toString(),
            "--artifact-path",
            Examples.directory().toString());
    assertEquals(1, noArtifact.status());
    assertTrue(
        noArtifact
            .err()
            .contains("Error: Artifact 'wine-9.9' not found in " + Examples.directory()),
        noArtifact.err());

    Run invalid =
        odahuPack(
            "pack",
            "run",
            "--id",
            "Wine!",
            "-f",
            manifest("kind: ModelPackaging\nid: Wine!\nspec: {}\n").toString());
    assertTrue(
        invalid
            .err()
            .contains(
                "Error: Validation of model packaging is failed: ID is not valid; empty artifactName; empty integrationName"),
        invalid.err());
    Run usage = odahuPack("pack", "run", "-f", manifest.toString());
    assertEquals(2, usage.status());
    assertTrue(
        usage.err().startsWith("Error: Missing required option: '--pack-id=<id>'"), usage.err());
  }

  /**
   * An --output or --result-dir that cannot be written is refused before the artifact is read
   * (nothing built, no staging directory), in a sentence without Java exception names.
   */
  @Test
  void packRunRefusesOutputsItCannotWriteAtOnce() throws Exception {
    Path manifest =
        manifest(
            "kind: ModelPackaging\nid: simple-cli\nspec: {artifactName: simple.zip, integrationName: docker-cli}\n");
    Path directory = Files.createDirectories(temp.resolve("isdir"));
    Path file = Files.writeString(temp.resolve("afile"), "x");
    record Case(String option, String value, String message) {}
    List<Case> cases =
        List.of(
            new Case(
                "--output",
                directory.toString(),
                "Error: The image tarball "
                    + directory
                    + " is a directory: name a file to write, e.g. "
                    + directory.resolve("image.tar")),
            new Case(
                "--output",
                file.resolve("x.tar").toString(),
                "Error: Cannot write the image tarball "
                    + file.resolve("x.tar")
                    + ": "
                    + file
                    + " is a file, not a directory"),
            new Case(
                "--output",
                temp.resolve("missing/x.tar").toString(),
                "Error: Cannot write the image tarball "
                    + temp.resolve("missing/x.tar")
                    + ": the directory "
                    + temp.resolve("missing")
                    + " does not exist"),
            new Case("--output", "", "Error: The image tarball's path is empty"),
            // Root passes access(2) there; the file system still refuses new files.
            new Case(
                "--output",
                "/sys/kernel/x.tar",
                "Error: Cannot write the image tarball /sys/kernel/x.tar: the directory /sys/kernel"),
            new Case(
                "--result-dir",
                "/sys/kernel",
                "Error: Cannot write result.json into /sys/kernel: the directory"),
            new Case(
                "--result-dir",
                file.toString(),
                "Error: Cannot write result.json into "
                    + file
                    + ": "
                    + file
                    + " is a file, not a directory"),
            new Case(
                "--result-dir",
                file.resolve("sub").toString(),
                "Error: Cannot write result.json into "
                    + file.resolve("sub")
                    + ": "
                    + file
                    + " is a file, not a directory"));
    for (Case c : cases) {
      List<String> options = new ArrayList<>(List.of(c.option(), c.value()));
      if (!c.option().equals("--result-dir")) {
        options.addAll(List.of("--result-dir", temp.toString()));
      }
      Run run = packSimpleCli(manifest, options.toArray(new String[0]));
      assertEquals(1, run.status(), run.err());
      assertTrue(run.err().contains(c.message()), c + ": " + run.err());
      assertFalse(run.err().contains("Reading the model artifact"), run.err());
      assertFalse(run.err().matches("(?s).*(Exception|java\\.).*"), run.err());
      assertEquals("", run.out());
    }
    try (var left = Files.list(temp)) {
      assertEquals(
          List.of(), left.filter(p -> p.getFileName().toString().startsWith(".odahu")).toList());
    }
    assertTrue(Files.isDirectory(directory) && Files.isRegularFile(file));
  }

  /**
   * {@code pack run} of the simple model with docker-cli (image odahu/simple:1.0) into the tarball
   * {@code output}, ODAHU's result in {@code resultDir}.
   */
  private Run packSimpleCli(Path output, Path resultDir) throws Exception {
    Path manifest =
        manifest(
            "kind: ModelPackaging\nid: simple-cli\nspec: {artifactName: simple.zip, integrationName: docker-cli,"
                + " arguments: {imageName: \"odahu/{{ Name }}:{{ Version }}\"}}\n");
    return packSimpleCli(
        manifest, "--output", output.toString(), "--result-dir", resultDir.toString());
  }

  /** {@code pack run --id simple-cli} of {@code manifest} with the examples' artifacts. */
  private Run packSimpleCli(Path manifest, String... options) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "pack",
                "run",
                "--id",
                "simple-cli",
                "-f",
                manifest.toString(),
                "--artifact-path",
                Examples.directory().toString()));
    args.addAll(List.of(options));
    return odahuPack(args.toArray(new String[0]));
  }

  /**
   * A symbolic link is written through, as cp and tar do; a FIFO (or a device such as /dev/null) is
   * written into, never replaced by a regular file.
   */
  @Test
  void packRunWritesThroughALinkAndIntoAFifo() throws Exception {
    Path real = Files.createDirectories(temp.resolve("store")).resolve("real.tar");
    Path link = Files.createSymbolicLink(temp.resolve("link.tar"), Path.of("store/real.tar"));
    Run linked = packSimpleCli(link, temp.resolve("results"));
    assertEquals(0, linked.status(), linked.err());
    assertTrue(Files.isSymbolicLink(link), "the link was replaced");
    assertTrue(ImageTarball.read(real).config().isObject());

    Path fifo = temp.resolve("image.fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Path copy = temp.resolve("from-fifo.tar");
    CompletableFuture<Long> read =
        CompletableFuture.supplyAsync(
            () -> {
              try (var in = Files.newInputStream(fifo)) {
                return Files.copy(in, copy);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    Run piped = packSimpleCli(fifo, temp.resolve("results"));
    assertEquals(0, piped.status(), piped.err());
    assertEquals(Files.size(real), read.get(60, TimeUnit.SECONDS));
    assertFalse(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS), "the FIFO was replaced");
    assertEquals(ImageTarball.read(real).config(), ImageTarball.read(copy).config());
    try (var left = Files.list(temp)) {
      assertEquals(
          List.of(), left.filter(p -> p.getFileName().toString().startsWith(".odahu")).toList());
    }
  }

  @Test
  void packRunWritesATarballAndOdahusResult() throws Exception {
    Path output = temp.resolve("simple.tar");
    Run run = packSimpleCli(output, temp.resolve("results/nested"));
    assertEquals(0, run.status(), run.err());
    assertEquals("Packager results:\n* image - odahu/simple:1.0\n", run.out());
    assertTrue(run.err().startsWith("[FeatureWarning]"), run.err());
    // A missing result directory is created.
    assertEquals(
        "{\"image\": \"odahu/simple:1.0\"}",
        Files.readString(temp.resolve("results/nested/result.json")));
    String env = ImageTarball.read(output).config().at("/config/Env").toString();
    assertTrue(env.contains("MODEL_LOCATION=/app/gppi/odahuflow_model"), env);
    // A docker-format tarball by the image ID docker load shows (it holds no manifest digest).
    assertTrue(
        run.err()
            .contains("Built odahu/simple:1.0 (image ID " + ImageTarball.read(output).digest()),
        run.err());
  }

  /**
   * result.json is written before the tarball is renamed into place: when it cannot be (here a
   * directory holds its name, which the early check of --result-dir cannot see), the run fails and
   * the file at --output is the one that was there.
   */
  @Test
  void packRunThatCannotWriteItsResultLeavesTheOutputAsItWas() throws Exception {
    Path output = Files.writeString(temp.resolve("simple.tar"), "the previous image");
    Path results = Files.createDirectories(temp.resolve("results"));
    Files.createDirectories(results.resolve("result.json/taken"));
    Run run = packSimpleCli(output, results);
    assertEquals(1, run.status(), run.err());
    assertTrue(
        run.err().contains("Error: Cannot write " + results.resolve("result.json") + ": "),
        run.err());
    assertEquals("the previous image".length(), Files.size(output), "replaced");
    assertEquals("the previous image", Files.readString(output));
    try (var left = Files.list(results)) {
      assertEquals(List.of(results.resolve("result.json")), left.toList());
    }
    try (var left = Files.list(temp)) {
      assertEquals(
          List.of(), left.filter(p -> p.getFileName().toString().startsWith(".odahu")).toList());
    }
  }

  @Test
  void modelInvokeAndInfoAgainstARunningServer() throws Exception {
    Path request = Examples.data("wine-request.json");
    Path badJson = Files.writeString(temp.resolve("bad.json"), "{\"data\": [[1,");
    Run bad =
        odahuPack(
            "model", "invoke", "--url", "http://127.0.0.1:1", "--json-file", badJson.toString());
    assertEquals(2, bad.status(), "the user's own input: a usage mistake");
    assertTrue(
        bad.err().startsWith("Error: The request body is not valid JSON (" + badJson + ")"),
        bad.err());
    assertFalse(bad.err().contains("Source") || bad.err().contains("`"), bad.err());

    Run unreachable =
        odahuPack(
            "model",
            "invoke",
            "--url",
            "http://127.0.0.1:9",
            "--json-file",
            request.toString(),
            "--retries",
            "2",
            "--retry-delay",
            "0.1");
    assertEquals(1, unreachable.status());
    // Each retry is announced; the last failure is the error.
    assertTrue(
        unreachable
            .err()
            .startsWith(
                "Cannot connect to http://127.0.0.1:9/api/model/invoke (connection refused);"
                    + " attempt 2 of 2 in 0.1 s (--retries, --retry-delay)\n"
                    + "Error: Cannot connect to http://127.0.0.1:9/api/model/invoke (2 attempts)"),
        unreachable.err());

    for (String model : List.of("wine", "fail")) {
      ServerConfig config =
          ServerConfig.builder(Examples.artifact(model))
              .host("127.0.0.1")
              .port(0)
              .python(Examples.python())
              .accessLog(false)
              .build();
      try (ModelServer server =
          ModelServer.start(
              config,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              new PrintStream(OutputStream.nullOutputStream()))) {
        String url = "http://127.0.0.1:" + server.port();
        Run invoke =
            odahuPack(
                "model",
                "invoke",
                "--base-url",
                "http://127.0.0.1",
                "--url-prefix",
                ":" + server.port(),
                "--json-file",
                request.toString());
        if (model.equals("wine")) {
          assertEquals(0, invoke.status(), invoke.err());
          assertWinePrediction(invoke.out());
          Run info = odahuPack("model", "info", "--url", url);
          assertEquals(0, info.status(), info.err());
          assertTrue(info.out().contains("    \"swagger\": \"2.0\""), info.out());
        } else {
          assertEquals(1, invoke.status());
          assertEquals(
              "Error: Wrong status code returned: 500. Data: \"{\"message\": \"Exception during prediction: Expected error\"}\". URL: \""
                  + url
                  + "/api/model/invoke\"\n",
              invoke.err());
        }
      }
    }
  }

  /** Answers {@code status} and {@code body}, noting each request's Authorization header. */
  private static com.sun.net.httpserver.HttpHandler answering(
      int status, String body, List<String> authorizations) {
    return exchange -> {
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  @Test
  void modelInvokeFollowsRedirectsAndAnEmptyAnswerIsAnError() throws Exception {
    List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/old/",
        exchange -> {
          // An ingress moving the model: permanent, keeps the method and body.
          exchange
              .getResponseHeaders()
              .add("Location", exchange.getRequestURI().getPath().replace("/old/", "/new/"));
          exchange.sendResponseHeaders(308, -1);
          exchange.close();
        });
    server.createContext(
        "/new/",
        answering(200, "{\"prediction\": [[6.0]], \"columns\": [\"quality\"]}", authorizations));
    server.createContext(
        "/elsewhere/",
        exchange -> {
          // Another origin (localhost, not 127.0.0.1): the token must not follow.
          exchange
              .getResponseHeaders()
              .add(
                  "Location",
                  "http://localhost:"
                      + exchange.getLocalAddress().getPort()
                      + exchange.getRequestURI().getPath().replace("/elsewhere/", "/new/"));
          exchange.sendResponseHeaders(307, -1);
          exchange.close();
        });
    server.createContext(
        "/empty/",
        exchange -> {
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.createContext("/floats/", answering(401, "{\"prediction\": []}", authorizations));
    server.createContext(
        "/python/",
        answering(
            200, "{\"prediction\": [12345678.9, 1e-05, 1e16, 1e400, NaN]}", new ArrayList<>()));
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      Run moved =
          odahuPack(
              "model",
              "invoke",
              "--url",
              base + "/old",
              "--json",
              "{\"data\": [[1]]}",
              "--token",
              "t0ken");
      assertEquals(0, moved.status(), moved.err());
      assertTrue(moved.out().contains("\"prediction\": [[6.0]]"), moved.out());
      assertEquals(List.of("Bearer t0ken"), authorizations, "same host: the token follows");
      Run elsewhere =
          odahuPack(
              "model",
              "invoke",
              "--url",
              base + "/elsewhere",
              "--json",
              "{\"data\": [[1]]}",
              "--token",
              "t0ken");
      assertEquals(0, elsewhere.status(), elsewhere.err());
      assertEquals(
          java.util.Arrays.asList("Bearer t0ken", null),
          authorizations,
          "another host: the token stays behind");
      Run empty =
          odahuPack("model", "invoke", "--url", base + "/empty", "--json", "{\"data\": [[1]]}");
      assertEquals(1, empty.status());
      assertEquals(
          "Error: "
              + base
              + "/empty/api/model/invoke answered 204 with no body, not a JSON answer\n",
          empty.err());
      // A login in the URL is sent as Basic authentication, as requests sends it, and shown in
      // no message.
      authorizations.clear();
      Run login =
          odahuPack(
              "model",
              "invoke",
              "--url",
              base.replace("//", "//alice:s3cret@") + "/floats",
              "--json",
              "{\"data\": [[1]]}");
      assertEquals(1, login.status());
      assertEquals(List.of("Basic YWxpY2U6czNjcmV0"), authorizations);
      assertTrue(login.err().contains("Wrong status code returned: 401"), login.err());
      assertFalse(login.err().contains("s3cret"), login.err());
      // A token with a line end (a file written on Windows) is refused without being shown.
      Run crlf =
          odahuPack(
              "model", "invoke", "--url", base + "/new", "--json", "{}", "--token", "t0ken\r");
      assertEquals(1, crlf.status());
      assertFalse(crlf.err().contains("t0ken"), crlf.err());
      // Numbers printed as odahuflowctl's json.dumps prints them.
      Run python = odahuPack("model", "invoke", "--url", base + "/python", "--json", "{}");
      assertEquals(0, python.status(), python.err());
      assertEquals("{\"prediction\": [12345678.9, 1e-05, 1e+16, Infinity, NaN]}\n", python.out());
      // A body that is no single JSON value is refused before it is sent.
      for (String bad : List.of("", "  ", "{\"a\": 1} x")) {
        Run refused = odahuPack("model", "invoke", "--url", base + "/python", "--json", bad);
        assertEquals(2, refused.status(), bad);
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void modelInvokeTrustsTheAuthoritiesItIsGiven() throws Exception {
    var certificates = org.odahu.pack.pydeps.testing.TestCertificates.create(temp);
    var server =
        certificates.serve(
            exchange -> {
              byte[] body = "{\"prediction\": [[6.0]]}".getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
              exchange.close();
            });
    try {
      String url = "https://127.0.0.1:" + server.getAddress().getPort();
      // A company's own authority, unknown to the JDK: refused at once (no retries), with a hint.
      Run unknown = odahuPack("model", "invoke", "--url", url, "--json", "{\"data\": [[1]]}");
      assertEquals(1, unknown.status());
      assertTrue(unknown.err().startsWith("Error: TLS with " + url + "/api/model/invoke failed"));
      assertTrue(unknown.err().contains("--ca-bundle"), unknown.err());
      Run trusted =
          odahuPack(
              "model",
              "invoke",
              "--url",
              url,
              "--json",
              "{\"data\": [[1]]}",
              "--ca-bundle",
              certificates.pem().toString());
      assertEquals(0, trusted.status(), trusted.err());
      assertEquals("{\"prediction\": [[6.0]]}\n", trusted.out());
      Run missing =
          odahuPack(
              "model", "info", "--url", url, "--ca-bundle", temp.resolve("nope.pem").toString());
      assertEquals(1, missing.status());
      assertEquals(
          "Error: The certificate bundle "
              + temp.resolve("nope.pem")
              + " does not exist (--ca-bundle)\n",
          missing.err());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void modelInvokeGivesUpOnASilentServerAndRetriesClosedConnections() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket silent = new ServerSocket(0, 50, loopback)) {
      String url = "http://127.0.0.1:" + silent.getLocalPort();
      Run run =
          odahuPack(
              "model", "invoke", "--url", url, "--json", "{\"data\": [[1]]}", "--timeout", "0.5");
      assertEquals(1, run.status());
      assertEquals(
          "Error: " + url + "/api/model/invoke did not answer within 0.5 s (--timeout)\n",
          run.err());
    }
    // Headers, then a body that stops after a few bytes: the timeout covers the whole answer.
    try (ServerSocket stalling = new ServerSocket(0, 50, loopback)) {
      Thread server =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try (Socket connection = stalling.accept()) {
                      connection.getInputStream().read(new byte[8192]);
                      connection
                          .getOutputStream()
                          .write(
                              ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                      + "Content-Length: 100\r\n\r\n{\"prediction\": [[")
                                  .getBytes(StandardCharsets.US_ASCII));
                      connection.getOutputStream().flush();
                      Thread.sleep(60_000);
                    } catch (IOException | InterruptedException ended) {
                      // the test is over
                    }
                  });
      String url = "http://127.0.0.1:" + stalling.getLocalPort();
      Run run =
          odahuPack(
              "model", "invoke", "--url", url, "--json", "{\"data\": [[1]]}", "--timeout", "0.5");
      server.interrupt();
      assertEquals(1, run.status());
      assertEquals(
          "Error: " + url + "/api/model/invoke did not answer within 0.5 s (--timeout)\n",
          run.err());
    }
    try (ServerSocket closing = new ServerSocket(0, 50, loopback)) {
      AtomicInteger accepted = new AtomicInteger();
      Thread acceptor =
          new Thread(
              () -> {
                while (true) {
                  try {
                    Socket connection = closing.accept();
                    accepted.incrementAndGet();
                    connection.close();
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      String url = "http://127.0.0.1:" + closing.getLocalPort();
      Run run = odahuPack("model", "info", "--url", url, "--retries", "3", "--retry-delay", "0.05");
      assertEquals(1, run.status());
      assertTrue(
          run.err().contains("Error: Cannot connect to " + url + "/api/model/info (3 attempts): "),
          run.err());
      assertEquals(3, run.err().lines().count(), run.err());
      assertTrue(accepted.get() >= 3, "each attempt connected: " + accepted.get());
    }
  }

  @Test
  void predictRefusesAnInputFileThatIsNotJson() throws Exception {
    Path bad = Files.writeString(temp.resolve("bad.json"), "{\"data\": [[1,");
    Run run =
        odahuPack(
            "predict",
            Examples.artifact("simple").toString(),
            bad.toString(),
            temp.resolve("out").toString(),
            python());
    assertEquals(1, run.status());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("Error: "), run.err());
    assertTrue(run.err().contains(bad.toString()), run.err());
    assertFalse(Files.exists(temp.resolve("out").resolve("results.json")));
  }

  @Test
  void packIntegrationsPrintsManifestsForACluster() throws Exception {
    Run run = odahuPack("pack", "integrations", "--image", "registry.example.com/odahu-pack:0.1.0");
    assertEquals(0, run.status(), run.err());
    Path file = Files.writeString(temp.resolve("integrations.yaml"), run.out());
    List<PackagingIntegrationSpec> integrations =
        ResourceSet.read(List.of(file), List.of()).integrations();
    assertEquals(
        List.of("docker-cli", "docker-rest"),
        integrations.stream().map(PackagingIntegrationSpec::id).toList());
    for (PackagingIntegrationSpec integration : integrations) {
      PackagingValidator.validate(integration);
      assertEquals("registry.example.com/odahu-pack:0.1.0", integration.spec().defaultImage());
      assertEquals(
          Packagers.layouts()
              .builtInIntegration(integration.id())
              .orElseThrow()
              .spec()
              .schema()
              .arguments(),
          integration.spec().schema().arguments());
      // A packaging pod keeps no image it did not push, so a cluster's packagings must name a
      // docker-push target, as ODAHU's own require.
      assertEquals(
          List.of(
              new PackagingIntegrationSpec.TargetSchema(
                  "docker-push", List.of("docker", "ecr"), "", true),
              new PackagingIntegrationSpec.TargetSchema(
                  "docker-pull", List.of("docker", "ecr"), "", false)),
          integration.spec().schema().targets());
    }
    assertEquals("/opt/odahu-pack/bin/odahu-pack-to-cli", integrations.get(0).spec().entrypoint());
    assertEquals("/opt/odahu-pack/bin/odahu-pack-to-rest", integrations.get(1).spec().entrypoint());
  }

  @Test
  void versionAndCompletion() {
    Run version = odahuPack("--version");
    assertTrue(version.out().startsWith("odahu-pack 0.1.0\n"), version.out());
    Run bash = odahuPack("completion", "bash");
    assertEquals(0, bash.status());
    assertTrue(
        bash.out().contains("complete -F _complete_odahu-pack"), bash.out().substring(0, 200));
    assertTrue(bash.out().contains("pack-to-rest"));
    Run zsh = odahuPack("completion", "zsh");
    assertEquals(0, zsh.status());
    assertTrue(zsh.out().startsWith("autoload -U +X compinit && compinit\n"), zsh.out());
    assertTrue(zsh.out().contains("complete -F _complete_odahu-pack"));
    Run fish = odahuPack("completion", "fish");
    assertEquals(2, fish.status(), "a command-line mistake");
    assertTrue(fish.err().startsWith("Error: Invalid value for positional parameter"), fish.err());
    Run subcommandVersion = odahuPack("pack", "run", "--version");
    assertEquals(0, subcommandVersion.status());
    assertEquals(version.out(), subcommandVersion.out());
  }
}
