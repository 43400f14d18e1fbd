package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.image.BuiltImage;
import org.odahu.pack.packager.image.Sandbox;
import org.odahu.pack.packager.run.PackagingResult;
import org.odahu.pack.server.ServeCommand;
import org.odahu.pack.server.ServerConfig;
import picocli.CommandLine;

/** Command-line parsing, without running anything. */
class OdahuPackParsingTest {

  private static <T> T parse(T command, String... args) {
    return CommandLine.populateCommand(command, args);
  }

  @Test
  void aWrittenTarballGetsLoadAndRunHintsButDevNullDoesNot(@TempDir Path dir) throws Exception {
    Path tarball = Files.writeString(dir.resolve("wine.tar"), "an image");
    BuiltImage image = new BuiltImage("odahu/wine:1.0", null, "sha256:00", false);
    for (Path written : List.of(tarball, Path.of("/dev/null"))) {
      StringWriter err = new StringWriter();
      StringWriter out = new StringWriter();
      PackCommand.printResult(
          new PrintWriter(out, true),
          new ConsoleListener(new PrintWriter(err, true), false, false),
          new PackagingResult(image, written));
      assertTrue(err.toString().contains("Image written to " + written), err.toString());
      assertEquals(
          written.equals(tarball),
          err.toString().contains("load it with 'docker load -i " + written + "'"),
          err.toString());
      assertEquals("Packager results:\n* image - odahu/wine:1.0\n", out.toString());
    }
    assertFalse(PackCommand.writesStdout(tarball));
    assertTrue(PackCommand.writesStdout(Path.of("/dev/stdout")));
  }

  @Test
  void packRunTakesOdahuflowctlsOptions() {
    PackCommand.Run run =
        parse(
            new PackCommand.Run(),
            "--id",
            "wine-rest",
            "-f",
            "a.yaml",
            "-f",
            "b.yaml",
            "-d",
            "manifests",
            "--artifact-path",
            "artifacts",
            "-a",
            "wine-1.0.zip",
            "--disable-target",
            "docker-pull",
            "--no-disable-package-targets",
            "--output",
            "wine.tar",
            "--format",
            "oci");
    assertEquals("wine-rest", run.id);
    assertEquals(List.of(Path.of("a.yaml"), Path.of("b.yaml")), run.files);
    assertEquals(List.of(Path.of("manifests")), run.dirs);
    assertEquals(Path.of("artifacts"), run.artifactPath);
    assertEquals("wine-1.0.zip", run.artifactName);
    assertEquals(List.of("docker-pull"), run.disabledTargets);
    assertFalse(run.disablePackageTargets);
    assertEquals(Path.of("wine.tar"), run.tarball.output);
    assertEquals(ImageFormat.OCI, run.tarball.format);
  }

  @Test
  void anArtifactNameWithOrWithoutZipFindsTheDirectoryElseTheArchive(@TempDir Path artifacts)
      throws Exception {
    PackCommand.Run run =
        parse(new PackCommand.Run(), "--id", "p", "--artifact-path", artifacts.toString());
    Path zip = Files.createFile(artifacts.resolve("wine.zip"));
    assertEquals(zip, run.locateArtifact("wine"));
    assertEquals(zip, run.locateArtifact("wine.zip"));
    Path directory = Files.createDirectory(artifacts.resolve("wine"));
    assertEquals(directory, run.locateArtifact("wine"));
    assertEquals(directory, run.locateArtifact("wine.zip"));
    Path tar = Files.createFile(artifacts.resolve("model.tar"));
    assertEquals(tar, run.locateArtifact("model.tar"));
    assertEquals(
        "Artifact 'simple' not found in "
            + artifacts
            + " (looked for the directory simple and the archive simple.zip or simple); set"
            + " --artifact-path or --artifact-name",
        assertThrows(PackagingException.class, () -> run.locateArtifact("simple")).getMessage());
    // Names of no file there: the directory itself would be taken for the model.
    for (String name : List.of(".zip", ".", "..", "...zip")) {
      assertTrue(
          assertThrows(PackagingException.class, () -> run.locateArtifact(name))
              .getMessage()
              .startsWith("The artifact name '" + name + "' names no file in "),
          name);
    }
  }

  @Test
  void packRunTakesDependencyAndVerificationOptions() {
    PackCommand.Run defaults = parse(new PackCommand.Run(), "--id", "p");
    assertTrue(defaults.packagingOptions.verification().enabled());
    var sources =
        defaults.packagingOptions.dependencies(
            Map.of("PIP_INDEX_URL", "https://i.example/simple"), Path.of("/nonexistent"));
    assertEquals("https://i.example/simple", sources.sources().indexUrl(), "pip's own variable");
    assertFalse(sources.strict() || sources.refresh());

    PackCommand.Run run =
        parse(
            new PackCommand.Run(),
            "--id",
            "p",
            "--strict-dependencies",
            "--refresh-dependencies",
            "--wheelhouse",
            "wheels",
            "--no-verify");
    var settings = run.packagingOptions.dependencies(Map.of(), Path.of("/nonexistent"));
    assertTrue(settings.strict() && settings.refresh());
    assertEquals(
        java.util.Optional.of(Path.of("wheels").toAbsolutePath()), settings.sources().wheelhouse());
    assertTrue(settings.sources().noIndex(), "a wheelhouse build asks no index");
    assertFalse(run.packagingOptions.verification().enabled());
    assertFalse(
        parse(new ClusterPackCommands.Rest(), "dir", "mp.json", "--no-verify")
            .packagingOptions
            .verify);
  }

  @Test
  void localCommandsAndServeTakeInstallDeps() {
    assertTrue(
        parse(new LocalModelCommands.Predict(), "a", "b", "c", "--install-deps").model.installDeps);
    assertTrue(parse(new LocalModelCommands.ShowInfo(), "a", "--install-deps").model.installDeps);
    assertTrue(parse(new LocalModelCommands.GppiTest(), "a", "--install-deps").model.installDeps);
    CommandLine.ParseResult serve =
        OdahuPack.commandLine().parseArgs("serve", "a", "--install-deps");
    assertTrue(serve.subcommand().hasMatchedOption("--install-deps"));
  }

  @Test
  void packRunDefaults() {
    PackCommand.Run run = parse(new PackCommand.Run(), "--pack-id", "p");
    assertNull(run.disablePackageTargets, "neither form given: ODAHU's deprecated default applies");
    assertTrue(
        run.artifactPath.toString().endsWith(".odahuflow/training_output")
            || System.getenv("LOCAL_MODEL_OUTPUT_DIR") != null);
    assertEquals(ImageFormat.Docker, run.tarball.format);
    assertThrows(CommandLine.MissingParameterException.class, () -> parse(new PackCommand.Run()));
  }

  @Test
  void serveUsesOdahusNamesAndDefaults() {
    ServerConfig defaults = parse(new ServeCommand(), "model.zip").config();
    assertEquals("0.0.0.0", defaults.host());
    assertEquals(5000, defaults.port());
    assertEquals(Duration.ofSeconds(60), defaults.backend().timeout());
    assertEquals(1, defaults.backend().workers());
    assertEquals(4, defaults.ioThreads());
    assertFalse(defaults.backend().batching().enabled(), "merging is opt-in");
    assertNull(defaults.captureDir());
    ServerConfig custom =
        parse(
                new ServeCommand(),
                "model.zip",
                "--host",
                "127.0.0.1",
                "--port",
                "6000",
                "--timeout",
                "5",
                "--workers",
                "2",
                "--threads",
                "8",
                "--batching",
                "--capture-dir",
                "/var/capture",
                "--max-body-size",
                "1024",
                "--queue-size",
                "10",
                "--runtime",
                "graalpy",
                "--model-name",
                "m",
                "--model-version",
                "2")
            .config();
    assertEquals(6000, custom.port());
    assertEquals(2, custom.backend().workers());
    assertEquals(8, custom.ioThreads());
    assertTrue(custom.backend().batching().enabled());
    assertEquals(Path.of("/var/capture"), custom.captureDir());
    assertEquals("graalpy", custom.backend().runtime());
    assertEquals("m", custom.modelName());
  }

  @Test
  void invalidServerSettingsAreRefusedWhileParsing() {
    CommandLine.ParameterException error =
        assertThrows(
            CommandLine.ParameterException.class,
            () -> parse(new ServeCommand(), "m.zip", "--workers", "0", "--port", "70000"));
    assertEquals(
        "Invalid value for option '--workers': must be between 1 and 1024, got 0",
        error.getMessage());
  }

  @Test
  void modelUrlFromBaseAndPrefixOrTheLegacyUrl() {
    ModelCommand.Invoke invoke =
        parse(
            new ModelCommand.Invoke(),
            "--base-url",
            "http://localhost",
            "--url-prefix",
            ":5001",
            "--json",
            "{}",
            "--token",
            "t");
    assertEquals("http://localhost:5001", invoke.target.modelUrl());
    ModelCommand.Invoke legacy =
        parse(new ModelCommand.Invoke(), "--url", "http://0:5000/", "--json-file", "r.json");
    assertEquals("http://0:5000", legacy.target.modelUrl());
    assertEquals("http://0:5000/api/model/invoke", legacy.target.endpoint("/api/model/invoke"));
    // A query stays a query; one slash between the base URL and the prefix.
    assertEquals(
        "https://gw.example.com/model/wine/api/model/info?tenant=a%20b",
        parse(
                new ModelCommand.Invoke(),
                "--url",
                "https://gw.example.com/model/wine/?tenant=a%20b",
                "--json",
                "{}")
            .target
            .endpoint("/api/model/info"));
    assertEquals(
        "https://gw.example.com/model/wine",
        parse(
                new ModelCommand.Invoke(),
                "--base-url",
                "https://gw.example.com/",
                "--url-prefix",
                "/model/wine",
                "--json",
                "{}")
            .target
            .modelUrl());
    assertEquals(
        "The model's URL must start with http:// or https://, got localhost:5000",
        assertThrows(
                CommandLine.ParameterException.class,
                () ->
                    parse(new ModelCommand.Invoke(), "--url", "localhost:5000", "--json", "{}")
                        .target
                        .endpoint("/api/model/info"))
            .getMessage());
    ModelCommand.Invoke nothing = parse(new ModelCommand.Invoke(), "--json", "{}");
    assertEquals(
        "Cannot create a model url: pass --url, or --base-url and --url-prefix",
        assertThrows(CommandLine.ParameterException.class, () -> nothing.target.modelUrl())
            .getMessage());
    // Usage mistakes found when the command runs exit 2, as those picocli finds.
    CommandLine quiet =
        OdahuPack.commandLine()
            .setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()))
            .setOut(new java.io.PrintWriter(java.io.Writer.nullWriter()));
    assertEquals(2, quiet.execute("model", "invoke", "--json", "{}"));
    assertEquals(
        2, quiet.execute("model", "invoke", "--url", "http://x", "--json", "{}", "--timeout", "0"));
    assertEquals(
        2, quiet.execute("model", "invoke", "--url", "http://x", "--json", "{}", "--retries", "0"));
    assertEquals(
        2,
        quiet.execute(
            "model",
            "info",
            "--url",
            "http://127.0.0.1:9",
            "--retry-delay",
            "-1",
            "--retries",
            "2"));
    assertEquals(2, quiet.execute("model", "info", "--url", "ftp://x"));
    assertEquals(2, quiet.execute("model", "invoke", "--url", "http://x", "--json", "{\"a\":1"));
    for (String noHost : List.of("http://127.0.0.1:-1", "http://127.0.0.1:5503abc")) {
      assertEquals(2, quiet.execute("model", "info", "--url", noHost), noHost);
    }
    assertEquals(
        "The model's URL (--url, or --base-url and --url-prefix) is not a URL:"
            + " http://127.0.0.1:99999 (port 99999 is out of range, 0 to 65535)",
        assertThrows(
                CommandLine.ParameterException.class,
                () ->
                    parse(
                            new ModelCommand.Invoke(),
                            "--url",
                            "http://127.0.0.1:99999",
                            "--json",
                            "{}")
                        .target
                        .endpoint("/api/model/info"))
            .getMessage());
    assertThrows(
        CommandLine.ParameterException.class,
        () -> parse(new ModelCommand.Invoke(), "--url", "http://x"));
    assertThrows(
        CommandLine.ParameterException.class,
        () ->
            parse(
                new ModelCommand.Invoke(),
                "--url",
                "http://x",
                "--json",
                "{}",
                "--json-file",
                "f"));
  }

  @Test
  void aModelUrlsLoginIsSplitAsRequestsSplitsItAndAMalformedOneIsNeverRepeated() {
    ModelCommand.Invoke login =
        parse(
            new ModelCommand.Invoke(),
            "--url",
            "http://u:Idx@P SECRET@127.0.0.1:5000/model?x=1",
            "--json",
            "{}");
    assertEquals(
        "http://127.0.0.1:5000/model/api/model/info?x=1", login.target.endpoint("/api/model/info"));
    for (String url :
        List.of(
            "http://u:P SECRET@127.0.0.1 5000/",
            "http://u:%zzSECRET@127.0.0.1:5000/",
            "ftp://u:SECRET@127.0.0.1:5000/",
            "http//u:P/SECRET@127.0.0.1:5000/")) {
      String message =
          assertThrows(
                  CommandLine.ParameterException.class,
                  () ->
                      parse(new ModelCommand.Invoke(), "--url", url, "--json", "{}")
                          .target
                          .endpoint("/api/model/info"),
                  url)
              .getMessage();
      assertTrue(message.startsWith("The model's URL"), message);
      assertFalse(message.contains("SECRET"), message);
    }
  }

  @Test
  void localModelCommands() {
    LocalModelCommands.Predict predict =
        parse(
            new LocalModelCommands.Predict(),
            "wine.zip",
            "in.json",
            "out",
            "-o",
            "r.json",
            "--python",
            "/opt/conda/envs/m/bin/python");
    assertEquals(Path.of("wine.zip"), predict.model.artifact);
    assertEquals("r.json", predict.fileName);
    assertEquals(Path.of("/opt/conda/envs/m/bin/python"), predict.model.python);
    // Unset: results.<output format>, as the docker-cli image's predict names it.
    LocalModelCommands.Predict defaults = parse(new LocalModelCommands.Predict(), "a", "b", "c");
    assertEquals(null, defaults.fileName);
  }

  @Test
  void everyCommandIsReachableFromTheTop() {
    CommandLine top = OdahuPack.commandLine();
    for (String name :
        List.of(
            "pack",
            "serve",
            "predict",
            "info",
            "gppi",
            "model",
            "image",
            "base-image",
            "deploy",
            "pack-to-rest",
            "pack-to-cli",
            "completion")) {
      assertTrue(top.getSubcommands().containsKey(name), name);
    }
    assertTrue(top.getSubcommands().get("pack").getSubcommands().containsKey("run"));
    assertTrue(top.getSubcommands().get("gppi").getSubcommands().containsKey("test"));
    assertTrue(top.getSubcommands().get("deploy").getSubcommands().containsKey("manifests"));
    assertTrue(
        top.getSubcommands()
            .get("model")
            .getSubcommands()
            .keySet()
            .containsAll(List.of("invoke", "info")));
  }

  private static void forEveryCommand(
      CommandLine command, java.util.function.Consumer<CommandLine> check) {
    check.accept(command);
    command.getSubcommands().values().forEach(sub -> forEveryCommand(sub, check));
  }

  @Test
  void everyCommandTakesHelpVersionAndVerbose() {
    forEveryCommand(
        OdahuPack.commandLine(),
        command -> {
          CommandLine.Model.CommandSpec spec = command.getCommandSpec();
          if (command.getCommand() instanceof HelpCommand) {
            return; // prints the other commands' pages
          }
          for (String option : List.of("--help", "--version", "--verbose")) {
            assertTrue(spec.findOption(option) != null, spec.qualifiedName() + " " + option);
          }
          assertTrue(
              spec.versionProvider() instanceof VersionProvider, spec.qualifiedName() + " version");
        });
    CommandLine.ParseResult parsed = OdahuPack.commandLine().parseArgs("model", "--verbose");
    assertTrue(parsed.subcommand().hasMatchedOption("--verbose"));
  }

  @Test
  void imageRunPassesTheEntrypointsOwnOptionsThrough() {
    CommandLine.ParseResult parsed =
        OdahuPack.commandLine()
            .parseArgs(
                "image",
                "run",
                "wine-cli.tar",
                "-e",
                "A=1",
                "-v",
                "/tmp:/io:ro",
                "predict",
                "--output_file_name",
                "answer.txt",
                "/in/request.json",
                "/out/");
    ImageCommand.Run run =
        (ImageCommand.Run) parsed.subcommand().subcommand().commandSpec().userObject();
    assertEquals(Path.of("wine-cli.tar"), run.tarball);
    assertEquals(List.of("A=1"), run.environment);
    assertEquals(List.of(new Sandbox.Mount(Path.of("/tmp"), "/io", true)), run.volumes);
    assertEquals(
        List.of("predict", "--output_file_name", "answer.txt", "/in/request.json", "/out/"),
        run.arguments);
  }

  @Test
  void imageRunGivesEverythingFromTheImagesFirstArgumentOnToTheImage() {
    String[] args = {
      "image", "run", "wine.tar", "--rootfs", "root", "--host", "127.0.0.1", "--version", "--help",
      "--verbose", "-e", "A=1", "-v", "x", "--rootfs", "other", "--", "-V"
    };
    CommandLine.ParseResult parsed = OdahuPack.commandLine().parseArgs(args);
    CommandLine.ParseResult image = parsed.subcommand().subcommand();
    ImageCommand.Run run = (ImageCommand.Run) image.commandSpec().userObject();
    assertEquals(Path.of("root"), run.rootfs);
    assertEquals(List.of(), run.environment);
    assertEquals(List.of(), run.volumes);
    assertEquals(List.of(args).subList(5, args.length), run.arguments);
    assertFalse(image.isVersionHelpRequested() || image.isUsageHelpRequested());
    assertFalse(image.hasMatchedOption("--verbose"));
  }

  @Test
  void completionOnlyForKnownShells() {
    assertEquals(CompletionCommand.Shell.zsh, parse(new CompletionCommand(), "zsh").shell);
    assertThrows(
        CommandLine.ParameterException.class, () -> parse(new CompletionCommand(), "fish"));
  }

  @Test
  void defaultTarballIsNamedAfterThePackaging() {
    assertEquals("wine-cli.tar", PackCommand.defaultTarball("wine-cli"));
  }

  @Test
  void theDefaultTarballNeverOverwritesAPlainTarArtifact() {
    // A packaging named like its plain tar artifact.
    PackCommand.TarballOptions options = new PackCommand.TarballOptions();
    Path artifact = Path.of("model.tar");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> options.resolve(PackCommand.defaultTarball("model"), artifact.toAbsolutePath()));
    assertTrue(e.getMessage().contains("would overwrite the artifact"), e.getMessage());
    options.output = Path.of("image.tar");
    assertEquals(Path.of("image.tar"), options.resolve("model.tar", artifact).tarball());
  }
}
