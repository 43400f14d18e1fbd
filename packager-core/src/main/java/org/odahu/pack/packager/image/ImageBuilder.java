package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryCredentials;

/**
 * Builds images with Jib: no daemon, no Dockerfile. Creation time and file times are fixed, so the
 * same inputs give the same digest, and a layer that did not change keeps its digest (a push then
 * sends only the changed layers).
 *
 * <p>Plain HTTP (and unverified TLS) is allowed for a registry on loopback, as Docker allows, and
 * for any registry when the destination opts in; what one registry is allowed never reaches another
 * registry of the same build.
 */
public final class ImageBuilder {
  private static final Pattern ANSI_COLOUR = Pattern.compile("\\u001B\\[[\\d;]*m");

  private final Path cacheDirectory;
  private final PackagingListener listener;
  private final String toolVersion;
  private final RegistryProbe probe = new RegistryProbe();

  /**
   * @param cacheDirectory where Jib keeps base and application layers between builds
   * @param listener receives progress and log events
   * @param toolVersion recorded in the image history
   */
  public ImageBuilder(Path cacheDirectory, PackagingListener listener, String toolVersion) {
    this.cacheDirectory = cacheDirectory;
    this.listener = listener;
    this.toolVersion = toolVersion;
  }

  /**
   * Builds {@code plan} and sends it to {@code destination}, finished with what Jib cannot write
   * (the stop signal, manifest annotations; see {@link ImageFinish}). Registries get OCI manifests,
   * which carry annotations.
   */
  public BuiltImage build(ImagePlan plan, ImageDestination destination) {
    return build(plan, destination, optIn(destination));
  }

  /**
   * As {@link #build(ImagePlan, ImageDestination)}, with plain HTTP allowed for every registry of
   * the build when {@code allowInsecure} (e.g. for the base of an image built into a tarball to be
   * verified before it is pushed).
   */
  public BuiltImage build(ImagePlan plan, ImageDestination destination, boolean allowInsecure) {
    ImageFinish finish = plan.finish();
    if (finish.changesNothing()) {
      return containerize(plan, destination, allowInsecure, base -> container(plan, base));
    }
    if (destination instanceof ImageDestination.Tarball tarball) {
      return buildTarball(plan, tarball, finish, allowInsecure);
    }
    ImageDestination.Registry registry = (ImageDestination.Registry) destination;
    // Jib pushes its own manifest under the repository's staging tag; the real tag changes only
    // when the finished manifest is pushed, so a push that fails or is stopped leaves the tag where
    // it was. One fixed staging tag, never deleted: deleting a manifest by digest would also drop
    // every other tag naming it, and registries often refuse it.
    String staging = stagingReference(registry.reference());
    BuiltImage pushed =
        containerize(
            plan,
            new ImageDestination.Registry(
                staging, registry.credentials(), registry.allowInsecure()),
            allowInsecure,
            base -> container(plan, base).setFormat(ImageFormat.OCI));
    boolean insecure = RegistryAddresses.mayUseHttp(registry.reference(), registry.allowInsecure());
    BuiltImage finished;
    try (RegistrySession session =
        RegistrySession.open(
            registry.reference(), registry.credentials(), insecure, true, listener, toolVersion)) {
      listener.step(
          "Adding the stop signal and the manifest's annotations to " + registry.reference());
      finished =
          RegistryFinisher.finish(
              session,
              new BuiltImage(registry.reference(), pushed.digest(), pushed.imageId(), true),
              finish);
    } catch (IOException | RegistryException | RuntimeException e) {
      PackagingException explained =
          e instanceof PackagingException packaging
              ? packaging
              : BuildFailures.explain(e, plan, destination, cacheDirectory);
      throw new PackagingException(
          explained.getMessage()
              + "; "
              + registry.reference()
              + " was not changed (the unfinished image is "
              + staging
              + ", "
              + pushed.digest()
              + ")",
          e);
    }
    return finished;
  }

  /** The tag of a repository under which Jib's unfinished manifests are pushed. */
  static final String STAGING_TAG = "odahu-pack-staging";

  /** {@code reference}'s repository with the {@link #STAGING_TAG}. */
  static String stagingReference(String reference) {
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new PackagingException("Invalid image reference: " + reference, e);
    }
    return parsed.getRegistry() + "/" + parsed.getRepository() + ":" + STAGING_TAG;
  }

  private JibContainerBuilder container(ImagePlan plan, BaseImage base)
      throws InvalidImageReferenceException {
    JibContainerBuilder container = from(base);
    plan.layers().forEach(container::addFileEntriesLayer);
    container
        .setEnvironment(plan.environment())
        .setEntrypoint(plan.entrypoint())
        .setProgramArguments(List.of())
        .setLabels(plan.labels())
        .setWorkingDirectory(AbsoluteUnixPath.get(plan.workingDirectory()))
        .setCreationTime(Instant.EPOCH);
    if (plan.user() != null) {
      container.setUser(plan.user());
    }
    if (plan.exposedPort() != null) {
      container.setExposedPorts(Port.tcp(plan.exposedPort()));
    }
    return container;
  }

  /** Jib writes a tarball next to the destination, which is then finished into the destination. */
  private BuiltImage buildTarball(
      ImagePlan plan, ImageDestination.Tarball tarball, ImageFinish finish, boolean optIn) {
    Path jibTarball;
    try {
      Path directory = tarball.path().toAbsolutePath().getParent();
      Files.createDirectories(directory);
      jibTarball = Files.createTempFile(directory, ".odahu-pack-", ".tar");
    } catch (IOException e) {
      throw new PackagingException("Cannot write " + tarball.path() + ": " + e.getMessage(), e);
    }
    try {
      BuiltImage built =
          containerize(
              plan,
              new ImageDestination.Tarball(tarball.reference(), jibTarball, tarball.format()),
              optIn,
              base -> container(plan, base));
      TarballFinisher.Finished finished =
          TarballFinisher.finish(jibTarball, tarball.path(), finish);
      return new BuiltImage(built.reference(), finished.digest(), finished.imageId(), false);
    } catch (IOException e) {
      throw new PackagingException("Cannot write " + tarball.path() + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(jibTarball);
      } catch (IOException e) {
        listener.warning("Cannot delete " + jibTarball + ": " + e.getMessage());
      }
    }
  }

  /** Copies an image as it is (e.g. a base image tarball) to a registry or another tarball. */
  public BuiltImage copy(BaseImage source, ImageDestination destination) {
    ImagePlan unchanged =
        new ImagePlan(source, List.of(), Map.of(), List.of(), null, Map.of(), "/");
    return containerize(unchanged, destination, optIn(destination), this::from);
  }

  /**
   * Pulls a registry image into a Docker-format tarball, e.g. to read its files before building on
   * it; plain HTTP as a build of {@code allowInsecure} would use for it.
   */
  public BuiltImage pull(BaseImage image, Path tarball, boolean allowInsecure) {
    ImagePlan unchanged = new ImagePlan(image, List.of(), Map.of(), List.of(), null, Map.of(), "/");
    return containerize(
        unchanged,
        new ImageDestination.Tarball(image.reference(), tarball, ImageFormat.Docker),
        allowInsecure,
        this::from);
  }

  /**
   * Asks the destination's registry, before anything is built, whether it answers and takes the
   * login the push will use: an unreachable registry or a wrong password is reported at once, not
   * after the dependencies, the build and the self-check. Whether that login may push is known only
   * when it pushes; any other answer is left to the push to report.
   */
  public void checkPushTarget(ImageDestination.Registry destination) {
    String reference = destination.reference();
    boolean insecure = RegistryAddresses.mayUseHttp(reference, destination.allowInsecure());
    probe.check(reference, insecure);
    RegistrySession session =
        RegistrySession.connect(
            reference, destination.credentials(), insecure, listener, toolVersion);
    try (session) {
      RegistryTimeouts.within(
          session.reference().getRegistry(),
          session::close,
          () -> {
            session.authenticate(true);
            return session.client().checkManifest(session.reference().getQualifier());
          });
    } catch (RegistryAuthenticationFailedException | RegistryUnauthorizedException e) {
      throw BuildFailures.explainPush(e, destination);
    } catch (PackagingException e) {
      throw e;
    } catch (Exception e) {
      // Answered, but not as a login's check: the push will say what it finds.
    }
  }

  private static boolean optIn(ImageDestination destination) {
    return destination instanceof ImageDestination.Registry registry && registry.allowInsecure();
  }

  /** Makes the container to build on a base; may fail like Jib's API does. */
  private interface ContainerSource {
    JibContainerBuilder from(BaseImage base) throws InvalidImageReferenceException;
  }

  private BuiltImage containerize(
      ImagePlan plan, ImageDestination destination, boolean optIn, ContainerSource source) {
    JibCachePruning.once(cacheDirectory, listener);
    String base = plan.base().reference();
    String target =
        destination instanceof ImageDestination.Registry registry ? registry.reference() : null;
    if (base != null
        && target != null
        && RegistryAddresses.mayUseHttp(base, optIn)
            != RegistryAddresses.mayUseHttp(target, optIn)) {
      return buildOnPulledBase(
          plan, destination, source, RegistryAddresses.mayUseHttp(base, optIn));
    }
    boolean insecure = RegistryAddresses.mayUseHttp(base != null ? base : target, optIn);
    for (String registry : new String[] {base, target}) {
      if (registry != null) {
        probe.check(registry, RegistryAddresses.mayUseHttp(registry, optIn));
      }
    }
    try {
      JibContainerBuilder container = source.from(plan.base());
      if (destination instanceof ImageDestination.Tarball tarball) {
        container.setFormat(tarball.format());
      }
      JibContainer built = run(container, containerizer(destination, insecure), insecure);
      return new BuiltImage(
          destination.reference(),
          built.getDigest().toString(),
          built.getImageId().toString(),
          built.isImagePushed());
    } catch (PackagingException e) {
      throw e;
    } catch (InvalidImageReferenceException e) {
      throw new PackagingException("Invalid image reference: " + e.getInvalidReference(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackagingException("Packaging was interrupted", e);
    } catch (ExecutionException | RegistryException | IOException | RuntimeException e) {
      throw BuildFailures.explain(e, plan, destination, cacheDirectory);
    } catch (com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
      throw new PackagingException(
          "Cannot create the layer cache in " + cacheDirectory + ": " + e.getMessage(), e);
    }
  }

  /**
   * One Jib build has one plain-HTTP switch for all its registries: when the base's registry and
   * the destination's differ, the base is pulled first by a build of its own into a tarball.
   */
  private BuiltImage buildOnPulledBase(
      ImagePlan plan, ImageDestination destination, ContainerSource source, boolean baseUsesHttp) {
    String base = plan.base().reference();
    listener.step(
        "Pulling the base image "
            + base
            + " on its own: plain HTTP is allowed for "
            + (baseUsesHttp ? base : destination.reference())
            + " only");
    Path pulled;
    try {
      Files.createDirectories(cacheDirectory);
      pulled = Files.createTempFile(cacheDirectory, "pulled-base-", ".tar");
    } catch (IOException e) {
      throw new PackagingException("Cannot write to " + cacheDirectory + ": " + e.getMessage(), e);
    }
    try {
      copy(plan.base(), new ImageDestination.Tarball(base, pulled, ImageFormat.Docker));
      return containerize(
          plan.withBase(BaseImage.tarball(pulled)), destination, optIn(destination), source);
    } finally {
      try {
        Files.deleteIfExists(pulled);
      } catch (IOException e) {
        listener.warning("Cannot delete " + pulled + ": " + e.getMessage());
      }
    }
  }

  /**
   * Jib reads {@code sendCredentialsOverHttp} from the JVM's properties when a build starts: it is
   * set only while a build whose registries may all use plain HTTP runs, then put back (being
   * process-wide, it would be seen by a build that overlaps in the same JVM).
   */
  private static JibContainer run(
      JibContainerBuilder container, Containerizer containerizer, boolean insecure)
      throws InterruptedException,
          RegistryException,
          IOException,
          com.google.cloud.tools.jib.api.CacheDirectoryCreationException,
          ExecutionException {
    if (!insecure) {
      return container.containerize(containerizer);
    }
    String property = JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP;
    String previous = System.setProperty(property, "true");
    try {
      return container.containerize(containerizer);
    } finally {
      if (previous == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, previous);
      }
    }
  }

  private JibContainerBuilder from(BaseImage base) throws InvalidImageReferenceException {
    if (base.tarball() != null) {
      if (!Files.isRegularFile(base.tarball())) {
        throw new PackagingException("Base image tarball not found: " + base.tarball());
      }
      return Jib.from(TarImage.at(base.tarball()));
    }
    RegistryImage image = RegistryImage.named(base.reference());
    addCredentials(
        image, DockerLogins.orFromConfig(base.credentials(), base.reference(), listener));
    return Jib.from(image);
  }

  private static void addCredentials(RegistryImage image, RegistryCredentials credentials) {
    if (credentials != null) {
      image.addCredential(credentials.username(), credentials.password());
    }
  }

  private Containerizer containerizer(ImageDestination destination, boolean insecure)
      throws InvalidImageReferenceException {
    Containerizer containerizer =
        switch (destination) {
          case ImageDestination.Registry registry -> {
            RegistryImage image = RegistryImage.named(registry.reference());
            addCredentials(
                image,
                DockerLogins.orFromConfig(registry.credentials(), registry.reference(), listener));
            yield Containerizer.to(image);
          }
          case ImageDestination.Tarball tarball ->
              Containerizer.to(TarImage.at(tarball.path()).named(tarball.reference()));
        };
    // Jib's estimate can go back when it learns of more work; what is shown never does.
    java.util.concurrent.atomic.DoubleAccumulator shown =
        new java.util.concurrent.atomic.DoubleAccumulator(Math::max, 0);
    ProgressEventHandler progress =
        new ProgressEventHandler(
            update -> {
              double before = shown.get();
              shown.accumulate(update.getProgress());
              if (shown.get() > before) {
                listener.progress(shown.get());
              }
            });
    return containerizer
        .setAllowInsecureRegistries(insecure)
        .setBaseImageLayersCache(cacheDirectory.resolve("base"))
        .setApplicationLayersCache(cacheDirectory.resolve("application"))
        .setToolName("odahu-pack")
        .setToolVersion(toolVersion)
        .addEventHandler(LogEvent.class, this::log)
        .addEventHandler(ProgressEvent.class, progress);
  }

  /** Jib's notices of falling back to HTTP or unverified TLS, which only allowed registries get. */
  static boolean isHttpsFailover(String message) {
    return (message.startsWith("Failed to connect to ") && message.contains(" over HTTPS."))
        || (message.startsWith("Cannot verify server at ")
            && message.contains("Attempting again with no TLS verification"));
  }

  private void log(LogEvent event) {
    // Some of Jib's messages carry terminal colours; the listener decides how to show them.
    String message = ANSI_COLOUR.matcher(event.getMessage()).replaceAll("").strip();
    switch (event.getLevel()) {
      case ERROR, WARN -> {
        if (isHttpsFailover(message)) {
          // Jib trying HTTPS first on a registry allowed plain HTTP (loopback, or opted in):
          // expected, so a detail for --verbose, not a warning.
          listener.detail(message);
        } else {
          listener.warning(message);
        }
      }
      default -> {
        if (!message.isEmpty()) {
          listener.detail(message);
        }
      }
    }
  }
}
