package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
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
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryCredentials;

/**
 * Builds images with Jib: no daemon, no Dockerfile. Creation time and file times are fixed, so the
 * same inputs give the same digest, and a layer that did not change keeps its digest (a push then
 * sends only the changed layers).
 */
public final class ImageBuilder {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final Path cacheDirectory;
  private final PackagingListener listener;
  private final String toolVersion;

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

  /** Builds {@code plan} and sends it to {@code destination}. */
  public BuiltImage build(ImagePlan plan, ImageDestination destination) {
    return containerize(
        plan,
        destination,
        () -> {
          JibContainerBuilder container = base(plan.base());
          plan.layers().forEach(container::addFileEntriesLayer);
          container
              .setEnvironment(plan.environment())
              .setEntrypoint(plan.entrypoint())
              .setProgramArguments(List.of())
              .setLabels(plan.labels())
              .setWorkingDirectory(AbsoluteUnixPath.get(plan.workingDirectory()))
              .setCreationTime(Instant.EPOCH);
          if (plan.exposedPort() != null) {
            container.setExposedPorts(Port.tcp(plan.exposedPort()));
          }
          return container;
        });
  }

  /** Copies an image as it is (e.g. a base image tarball) to a registry or another tarball. */
  public BuiltImage copy(BaseImage source, ImageDestination destination) {
    ImagePlan unchanged =
        new ImagePlan(source, List.of(), Map.of(), List.of(), null, Map.of(), "/");
    return containerize(unchanged, destination, () -> base(source));
  }

  /** Makes the container to build; may fail like Jib's API does. */
  private interface ContainerSource {
    JibContainerBuilder get() throws InvalidImageReferenceException, IOException;
  }

  private BuiltImage containerize(
      ImagePlan plan, ImageDestination destination, ContainerSource source) {
    try {
      JibContainer built = source.get().containerize(containerizer(destination, plan.base()));
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
      throw explain(e, plan, destination);
    } catch (com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
      throw new PackagingException(
          "Cannot create the layer cache in " + cacheDirectory + ": " + e.getMessage(), e);
    }
  }

  private JibContainerBuilder base(BaseImage base) throws InvalidImageReferenceException {
    if (base.tarball() != null) {
      if (!Files.isRegularFile(base.tarball())) {
        throw new PackagingException("Base image tarball not found: " + base.tarball());
      }
      return Jib.from(TarImage.at(base.tarball()));
    }
    RegistryImage image = RegistryImage.named(base.reference());
    addCredentials(image, base.credentials());
    return Jib.from(image);
  }

  private static void addCredentials(RegistryImage image, RegistryCredentials credentials) {
    if (credentials != null) {
      image.addCredential(credentials.username(), credentials.password());
    }
  }

  private Containerizer containerizer(ImageDestination destination, BaseImage base)
      throws InvalidImageReferenceException {
    Containerizer containerizer;
    boolean insecure;
    switch (destination) {
      case ImageDestination.Registry registry -> {
        RegistryImage image = RegistryImage.named(registry.reference());
        addCredentials(image, registry.credentials());
        containerizer = Containerizer.to(image);
        insecure = registry.allowInsecure() || isLoopback(registry.reference());
      }
      case ImageDestination.Tarball tarball -> {
        containerizer = Containerizer.to(TarImage.at(tarball.path()).named(tarball.reference()));
        insecure = false;
      }
    }
    if (base.reference() != null && isLoopback(base.reference())) {
      insecure = true;
    }
    if (insecure) {
      // Jib keeps credentials off plain HTTP unless told; loopback (or an explicit opt-in) is fine.
      System.setProperty("sendCredentialsOverHttp", "true");
    }
    ProgressEventHandler progress =
        new ProgressEventHandler(update -> listener.progress(update.getProgress()));
    return containerizer
        .setAllowInsecureRegistries(insecure)
        .setBaseImageLayersCache(cacheDirectory.resolve("base"))
        .setApplicationLayersCache(cacheDirectory.resolve("application"))
        .setToolName("odahu-pack")
        .setToolVersion(toolVersion)
        .addEventHandler(LogEvent.class, this::log)
        .addEventHandler(ProgressEvent.class, progress);
  }

  private void log(LogEvent event) {
    switch (event.getLevel()) {
      case ERROR, WARN -> listener.warning(event.getMessage());
      default -> {
        if (!event.getMessage().isBlank()) {
          listener.detail(event.getMessage());
        }
      }
    }
  }

  /** Whether an image reference names a registry on this machine. */
  static boolean isLoopback(String reference) {
    try {
      String registry = ImageReference.parse(reference).getRegistry();
      int colon = registry.lastIndexOf(':');
      String host = colon > 0 && !registry.endsWith("]") ? registry.substring(0, colon) : registry;
      return LOOPBACK.contains(host.toLowerCase(Locale.ROOT));
    } catch (InvalidImageReferenceException e) {
      return false;
    }
  }

  /** A message that says what went wrong and what to do, never carrying a password. */
  private static PackagingException explain(
      Exception failure, ImagePlan plan, ImageDestination destination) {
    Throwable cause = failure;
    while (cause instanceof ExecutionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof RegistryUnauthorizedException unauthorized) {
        return new PackagingException(
            "The registry refused access to "
                + unauthorized.getImageReference()
                + ": check the connection's username and password",
            failure);
      }
      if (t instanceof RegistryAuthenticationFailedException authentication) {
        return new PackagingException(
            "Authentication with registry "
                + authentication.getServerUrl()
                + " failed: check the connection's username and password",
            failure);
      }
      if (t instanceof InsecureRegistryException) {
        return new PackagingException(
            "The registry does not offer verifiable HTTPS: allow plain HTTP and unverified TLS for it"
                + " with --allow-insecure-registries (only for registries you trust)",
            failure);
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        return new PackagingException(
            "Cannot reach the registry of " + registryOf(destination, plan) + ": " + t.getMessage(),
            failure);
      }
      if (t instanceof SSLException) {
        return new PackagingException(
            "TLS with the registry failed ("
                + t.getMessage()
                + "); for a registry without a trusted"
                + " certificate use --allow-insecure-registries",
            failure);
      }
    }
    return new PackagingException("Building the image failed: " + cause, failure);
  }

  private static String registryOf(ImageDestination destination, ImagePlan plan) {
    return destination instanceof ImageDestination.Registry registry
        ? registry.reference()
        : String.valueOf(plan.base());
  }
}
