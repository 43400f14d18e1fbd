package org.odahu.pack.cli;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.run.OutputPaths;
import org.odahu.pack.packager.run.Packager;
import org.odahu.pack.packager.run.PackagingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pack}: packaging commands ({@code run}, as {@code odahuflowctl local pack run}). */
@Command(
    name = "pack",
    description = "Package trained models into images (like 'odahuflowctl local pack').",
    mixinStandardHelpOptions = true,
    subcommands = {PackCommand.Run.class, PackIntegrationsCommand.class})
final class PackCommand extends GroupCommand {

  /** Output options when no push target is used. */
  static final class TarballOptions {
    @Option(
        names = "--output",
        paramLabel = "TARBALL",
        description = "Image tarball to write when nothing is pushed (default: ./<id>.tar).")
    Path output;

    @Option(
        names = "--format",
        defaultValue = "docker",
        converter = FormatConverter.class,
        description = "Tarball format: docker (docker load) or oci (default ${DEFAULT-VALUE}).")
    ImageFormat format;

    /**
     * The tarball to write: {@code --output}, else {@code defaultName} in the current directory,
     * which may not be the artifact itself (a plain tar artifact of the same name).
     */
    Packager.TarballOutput resolve(String defaultName, Path artifact) {
      Path target = output != null ? output : Path.of(defaultName);
      if (target.toAbsolutePath().normalize().equals(artifact.toAbsolutePath().normalize())) {
        throw new IllegalArgumentException(
            "The image tarball "
                + target
                + " would overwrite the artifact: name another with --output");
      }
      return new Packager.TarballOutput(target, format);
    }
  }

  /** {@code docker} or {@code oci}, checked while parsing: a wrong one is a usage mistake. */
  static final class FormatConverter implements CommandLine.ITypeConverter<ImageFormat> {
    @Override
    public ImageFormat convert(String value) {
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "docker" -> ImageFormat.Docker;
        case "oci" -> ImageFormat.OCI;
        default ->
            throw new CommandLine.TypeConversionException(
                "must be docker or oci, got '" + value + "'");
      };
    }
  }

  /** {@code pack run}: package one ModelPackaging from manifest files. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Package the artifact of a ModelPackaging found in manifest files, as 'odahuflowctl local pack run'.",
        "Integrations docker-rest and docker-cli are built in; the image is pushed to the docker-push target,"
            + " or written to a tarball."
      })
  static final class Run implements Callable<Integer> {
    @Mixin VerboseOption verboseOption;
    @Mixin PackagingOptions packagingOptions;
    @Mixin TarballOptions tarball;

    @Option(
        names = {"--id", "--pack-id"},
        required = true,
        description = "ModelPackaging id.")
    String id;

    @Option(
        names = {"-f", "--manifest-file"},
        description = "Manifest file (YAML or JSON; repeatable).")
    List<Path> files = List.of();

    @Option(
        names = {"-d", "--manifest-dir"},
        description = "Directory of manifest files (repeatable).")
    List<Path> dirs = List.of();

    @Option(
        names = "--artifact-path",
        defaultValue = "${env:LOCAL_MODEL_OUTPUT_DIR:-${sys:user.home}/.odahuflow/training_output}",
        description =
            "Directory of trained artifacts (default ${DEFAULT-VALUE}; env LOCAL_MODEL_OUTPUT_DIR).")
    Path artifactPath;

    @Option(
        names = {"-a", "--artifact-name"},
        description =
            "Artifact name, overriding the packaging's artifactName (a trailing .zip is dropped).")
    String artifactName;

    @Option(
        names = "--disable-target",
        description = "Drop a target, e.g. docker-push (repeatable).")
    List<String> disabledTargets = List.of();

    @Option(
        names = "--disable-package-targets",
        negatable = true,
        description = "Deprecated (ODAHU): with neither form, every target is disabled.")
    Boolean disablePackageTargets;

    @Option(
        names = "--allow-insecure-registries",
        description = "Allow plain HTTP / unverified TLS for non-loopback registries.")
    boolean allowInsecureRegistries;

    @Option(
        names = "--result-dir",
        defaultValue = ".",
        description = "Where result.json goes (default: the current directory).")
    Path resultDir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (artifactName != null && artifactName.isBlank()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--artifact-name is empty: name the artifact, or leave the option out to take the"
                + " packaging's artifactName");
      }
      if (files.isEmpty() && dirs.isEmpty()) {
        // odahuflowctl would ask ODAHU's API server for the packaging; there is none here.
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "No manifests: give the file that holds ModelPackaging '"
                + id
                + "' with -f (--manifest-file), or its directory with -d (--manifest-dir)");
      }
      PrintWriter err = spec.commandLine().getErr();
      // Checked (and created) before anything else; the tarball is checked by the packager, before
      // it reads the artifact.
      OutputPaths.resultDirectory(resultDir);
      boolean disableAll = disablePackageTargets == null || disablePackageTargets;
      if (disablePackageTargets == null) {
        err.println(
            "[FeatureWarning] Targets are disabled by default (ODAHU's deprecated behaviour):"
                + " pass --no-disable-package-targets to push to the packaging's targets");
      }
      ResourceSet resources = ResourceSet.read(files, dirs);
      PackagingPlan plan =
          Packagers.plans().local(resources, id, new LinkedHashSet<>(disabledTargets), disableAll);
      Path artifact = locateArtifact(artifactName != null ? artifactName : plan.artifactName());
      ConsoleListener listener = ConsoleListener.create(err, verboseOption.verbose);
      if (plan.push() != null) {
        List<String> unused =
            Stream.of("--output", "--format")
                .filter(name -> spec.commandLine().getParseResult().hasMatchedOption(name))
                .toList();
        if (!unused.isEmpty()) {
          listener.warning(
              String.join(" and ", unused)
                  + " only apply to a tarball, and this packaging pushes its image: pass"
                  + " --disable-target docker-push to write a tarball instead");
        }
      }
      PackagingResult result;
      try (ExitCleanup cleanup = ExitCleanup.atExit()) {
        result =
            Packagers.create(allowInsecureRegistries, packagingOptions, cleanup, listener)
                .pack(
                    artifact,
                    plan,
                    tarball.resolve(defaultTarball(id), artifact),
                    resultDir,
                    resources.files());
      }
      // With --output /dev/stdout the results' lines would follow the image's bytes there.
      printResult(
          writesStdout(result.tarball()) ? err : spec.commandLine().getOut(), listener, result);
      return 0;
    }

    /**
     * As ODAHU's local flow: the unpacked directory named like the artifact, else the archive
     * ({@code wine.zip} whether the name is {@code wine} or {@code wine.zip}, or the name itself).
     */
    Path locateArtifact(String name) {
      if (name == null || name.isBlank()) {
        throw new PackagingException("The packaging has no artifactName: pass --artifact-name");
      }
      String stripped = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
      if (stripped.isBlank() || stripped.equals(".") || stripped.equals("..")) {
        // Not a name in --artifact-path: "" or "." would take the whole directory for the model.
        throw new PackagingException(
            "The artifact name '"
                + name
                + "' names no file in "
                + artifactPath
                + ": give the name of the model's directory or archive there");
      }
      List<String> archives =
          name.equals(stripped) ? List.of(stripped + ".zip", name) : List.of(name);
      for (String candidate : Stream.concat(Stream.of(stripped), archives.stream()).toList()) {
        if (Files.exists(artifactPath.resolve(candidate))) {
          return artifactPath.resolve(candidate);
        }
      }
      throw new PackagingException(
          "Artifact '"
              + stripped
              + "' not found in "
              + artifactPath
              + " (looked for the directory "
              + stripped
              + " and the archive "
              + String.join(" or ", archives)
              + "); set --artifact-path or --artifact-name");
    }
  }

  /**
   * {@code ./<packaging id>.tar}: each packaging of an artifact (docker-rest, docker-cli) gets its
   * own tarball, where the artifact's name would have one replace the other.
   */
  static String defaultTarball(String packagingId) {
    return packagingId + ".tar";
  }

  /** Whether {@code tarball} is the process's standard output (a pipe or a file). */
  static boolean writesStdout(Path tarball) {
    try {
      return tarball != null && Files.isSameFile(tarball, Path.of("/proc/self/fd/1"));
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  /** ODAHU's {@code Packager results:} lines (the packager wrote {@code result.json}). */
  static void printResult(PrintWriter out, ConsoleListener listener, PackagingResult result) {
    if (result.tarball() != null
        && (!Files.isRegularFile(result.tarball()) || writesStdout(result.tarball()))) {
      // /dev/null, a pipe, stdout: nothing to load or run later by that name.
      listener.step("Image written to " + result.tarball());
    } else if (result.tarball() != null) {
      listener.step(
          "Image written to "
              + result.tarball()
              + "; load it with 'docker load -i "
              + result.tarball()
              + "' or run it without Docker with 'odahu-pack image run "
              + result.tarball()
              + "'");
    }
    out.println("Packager results:");
    out.println("* image - " + result.image().reference());
    out.flush();
  }
}
