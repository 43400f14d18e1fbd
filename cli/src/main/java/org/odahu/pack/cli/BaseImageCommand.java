package org.odahu.pack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.odahu.pack.baseimages.DebianPythonBase;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryCredentials;
import org.odahu.pack.packager.RegistryTarget;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.BuiltImage;
import org.odahu.pack.packager.image.CredentialsNeededException;
import org.odahu.pack.packager.image.EcrLogin;
import org.odahu.pack.packager.image.ImageBuilder;
import org.odahu.pack.packager.image.ImageDestination;
import org.odahu.pack.packager.image.ImageReferences;
import org.odahu.pack.packager.image.RegistryProxies;
import org.odahu.pack.packager.manifest.ConnectionSpec;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.run.PackagingPlans;
import org.odahu.pack.server.metrics.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code base-image build}: the default Debian + Python base image, built once and cached. */
@Command(
    name = "base-image",
    mixinStandardHelpOptions = true,
    description =
        "Manage odahu-pack's default base image (Debian 12 + python3, numpy, scikit-learn, pandas).",
    subcommands = BaseImageCommand.Build.class)
final class BaseImageCommand extends GroupCommand {

  /**
   * {@code base-image build [--force] [--mirror URL] [--push REF [-f FILE [--connection ID] |
   * --username USER --password-stdin]]}.
   */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = "Build (or reuse) the default base image tarball; optionally push it.")
  static final class Build implements Callable<Integer> {
    @Mixin VerboseOption verboseOption;

    @Option(names = "--force", description = "Rebuild even if cached.")
    boolean force;

    @Option(
        names = "--mirror",
        defaultValue = Packagers.DEBIAN_MIRROR_DEFAULT,
        description =
            // Not ${DEFAULT-VALUE}: the variable's URL may hold a login, which help must not show.
            "Debian mirror for debootstrap (default: env ODAHU_DEBIAN_MIRROR, else"
                + " http://deb.debian.org/debian).")
    String mirror;

    @Option(
        names = "--push",
        paramLabel = "REFERENCE",
        description = "Also push it, e.g. registry.example.com/odahu/python-base:1.")
    String push;

    @Option(
        names = "--allow-insecure-registries",
        description = "Allow plain HTTP / unverified TLS for non-loopback registries.")
    boolean allowInsecureRegistries;

    @Option(
        names = {"-f", "--manifest-file"},
        paramLabel = "FILE",
        description =
            "Manifest file holding the docker or ecr Connection to log in to the --push registry with"
                + " (YAML or JSON, as for 'pack run'; repeatable).")
    List<Path> files = List.of();

    @Option(
        names = {"-d", "--manifest-dir"},
        paramLabel = "DIR",
        description = "Directory of manifest files (repeatable).")
    List<Path> dirs = List.of();

    @Option(
        names = "--connection",
        paramLabel = "ID",
        description =
            "The Connection in the manifests to log in with (default: the only one there).")
    String connection;

    @Option(
        names = {"-u", "--username"},
        paramLabel = "USER",
        description = "Log in to the --push registry as USER, with --password-stdin.")
    String username;

    @Option(
        names = "--password-stdin",
        description = "Read --username's password (or token) from standard input, as docker login.")
    boolean passwordStdin;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Where {@code --password-stdin} reads from. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
      ConsoleListener listener =
          ConsoleListener.create(spec.commandLine().getErr(), verboseOption.verbose);
      // Before the base is built (minutes): a reference or a login that cannot work is reported
      // at once.
      checkPushReference();
      RegistryCredentials credentials = credentials();
      DebianPythonBase recipe = new DebianPythonBase(Packagers.cacheDirectory(), mirror, listener);
      BaseImage base = force ? recipe.rebuild() : recipe.ensure();
      spec.commandLine()
          .getOut()
          .printf("Base image: %s (%,d bytes)%n", base.tarball(), Files.size(base.tarball()));
      if (push != null) {
        RegistryProxies.install(System.getenv(), listener);
        BuiltImage pushed;
        try {
          pushed =
              new ImageBuilder(
                      Packagers.cacheDirectory().resolve("jib"), listener, BuildInfo.version())
                  .copy(
                      base,
                      new ImageDestination.Registry(push, credentials, allowInsecureRegistries));
        } catch (CredentialsNeededException e) {
          throw e.giveThemWith(
              "-f FILE (a docker Connection for it; --connection ID picks one), with --username"
                  + " USER --password-stdin");
        }
        spec.commandLine()
            .getOut()
            .println("Pushed: " + pushed.reference() + "@" + pushed.digest());
        spec.commandLine()
            .getOut()
            .println("Use it with the argument dockerfileBaseImage: " + pushed.reference());
      }
      spec.commandLine().getOut().flush();
      return 0;
    }

    private void checkPushReference() {
      if (push == null) {
        return;
      }
      String problem;
      try {
        problem =
            ImageReferences.parse(push).getDigest().isPresent()
                ? "a digest names an existing image, not one to push: use a tag"
                : null;
      } catch (ImageReferences.InvalidReferenceException e) {
        problem = e.getMessage();
      }
      if (problem != null) {
        throw mistake(
            "Invalid value for option '--push': '"
                + ImageReferences.shown(push)
                + "' is not a valid image reference: "
                + problem);
      }
    }

    /**
     * The credentials for {@code --push}: a docker Connection's from manifest files (as {@code pack
     * run} takes them: secrets base64-encoded), an ECR login token for an ecr Connection, or {@code
     * --username} with {@code --password-stdin}; none otherwise. Never a password on the command
     * line.
     */
    private RegistryCredentials credentials() throws IOException {
      boolean manifests = !files.isEmpty() || !dirs.isEmpty();
      if (push == null && (manifests || connection != null || username != null || passwordStdin)) {
        throw mistake("-f, -d, --connection, --username and --password-stdin need --push");
      }
      if (connection != null && !manifests) {
        throw mistake("--connection needs the manifest files that hold it (-f or -d)");
      }
      if (username != null && manifests) {
        throw mistake("Log in either with a Connection (-f/-d) or with --username, not both");
      }
      if (username != null && !passwordStdin) {
        throw mistake(
            "--username needs --password-stdin: the password is read from standard input,"
                + " never taken from the command line");
      }
      if (passwordStdin && username == null) {
        throw mistake("--password-stdin needs --username");
      }
      if (username != null) {
        String password = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        password = password.replaceFirst("(\\r?\\n)+$", "");
        if (password.isEmpty()) {
          throw new PackagingException("--password-stdin: standard input held no password");
        }
        return new RegistryCredentials(username, password, "--username and --password-stdin");
      }
      if (!manifests) {
        return null;
      }
      ResourceSet resources = ResourceSet.read(files, dirs);
      ConnectionSpec chosen;
      if (connection != null) {
        chosen =
            resources
                .connection(connection)
                .orElseThrow(
                    () ->
                        new PackagingException(
                            "Connection '" + connection + "' is not found in the manifest files"));
      } else if (resources.connections().size() == 1) {
        chosen = resources.connections().get(0);
      } else {
        throw new PackagingException(
            resources.connections().isEmpty()
                ? "The manifest files hold no Connection to log in to the registry with"
                : "The manifest files hold "
                    + resources.connections().size()
                    + " Connections: name the one to log in with, --connection ID");
      }
      RegistryTarget target = PackagingPlans.localConnection(chosen);
      if (!target.serves(push)) {
        throw new PackagingException(
            "Connection '"
                + chosen.id()
                + "' is for "
                + target
                    .registry()
                    .map(registry -> "the registry " + registry)
                    .orElse("no registry host")
                + " (its uri), not for "
                + push
                + ": its credentials are sent only to its own registry");
      }
      if (target.ecr() != null) {
        return new EcrLogin().credentials(target.ecr(), push, true);
      }
      if (target.credentials() == null) {
        throw new PackagingException(
            "Connection '" + chosen.id() + "' has neither a username nor a password");
      }
      return target.credentials();
    }

    private CommandLine.ParameterException mistake(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
