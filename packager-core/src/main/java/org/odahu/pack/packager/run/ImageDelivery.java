package org.odahu.pack.packager.run;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.files.TemporaryFiles;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.BuiltImage;
import org.odahu.pack.packager.image.ImageBuilder;
import org.odahu.pack.packager.image.ImageDestination;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.image.ImageVerifier;
import org.odahu.pack.packager.image.PackagingListener;

/**
 * Builds an image and delivers it: written to a tarball, or pushed. Unless verification is off or
 * impossible here, the image is first built into a tarball and its self-check run inside it; only
 * an image that passed is kept or pushed, and the registry gets that very image (same config and
 * layers).
 */
final class ImageDelivery {
  /**
   * How to check an image.
   *
   * @param command the self-check, run inside the image
   * @param ownLayers how many top layers are this model's own (dependencies, model); the layers
   *     below them are unpacked once and kept between packagings
   */
  record SelfCheck(List<String> command, int ownLayers) {
    SelfCheck {
      command = List.copyOf(command);
    }
  }

  private final PackagerSettings settings;
  private final PackagingListener listener;
  private final ExitCleanup cleanup;
  private final ImageBuilder builder;

  ImageDelivery(PackagerSettings settings, PackagingListener listener, ExitCleanup cleanup) {
    this.settings = settings;
    this.listener = listener;
    this.cleanup = cleanup;
    this.builder =
        new ImageBuilder(settings.cacheDirectory().resolve("jib"), listener, settings.version());
  }

  /** The builder, e.g. to pull a base image first. */
  ImageBuilder builder() {
    return builder;
  }

  /**
   * Builds and delivers {@code image}.
   *
   * @param imageName the image's full reference: in the registry of the plan's push target when it
   *     has one, else the name the tarball records
   * @param resultDirectory where {@code result.json} goes, or {@code null} for none
   */
  PackagingResult deliver(
      ImagePlan image,
      PackagingPlan plan,
      String imageName,
      Packager.TarballOutput output,
      SelfCheck check,
      Path resultDirectory)
      throws IOException {
    ImageVerifier verifier = verifier(plan);
    boolean verify = verifier.unavailable().isEmpty();
    if (plan.push() != null) {
      ImageDestination.Registry registry = pushDestination(plan, imageName);
      PackagingResult pushed;
      if (!verify) {
        listener.step("Building " + registry.reference() + " and pushing it");
        pushed = built(builder.build(image, registry), null, null);
      } else {
        pushed = verifyThenPush(image, registry, verifier, check);
      }
      if (resultDirectory != null) {
        ResultFile.write(resultDirectory, pushed.image().reference(), cleanup);
      }
      return pushed;
    }
    Path tarball = OutputPaths.writtenFile(output.tarball());
    boolean special = OutputPaths.isSpecial(tarball);
    Path directory =
        special ? TemporaryFiles.directory() : Files.createDirectories(tarball.getParent());
    listener.step(
        "Building "
            + imageName
            + " into "
            + output.tarball()
            + " ("
            + output.format()
            + " format)");
    // Built and checked under a temporary name beside it, then renamed: a build that fails, is
    // stopped or fails its self-check leaves whatever was there, never a partial or unchecked
    // image. A device or a FIFO is written into instead, once the image is checked; its staging
    // directory is the temporary one (nothing is created in /dev).
    try (ExitCleanup.TemporaryDirectory staging =
        cleanup.newTemporaryDirectory(directory, OutputPaths.BUILDING_PREFIX)) {
      Path building = staging.path().resolve("image.tar");
      BuiltImage[] built = new BuiltImage[1];
      staging.write(
          () ->
              built[0] =
                  builder.build(
                      image, new ImageDestination.Tarball(imageName, building, output.format())));
      if (verify) {
        verifier.verify(building, check.ownLayers(), check.command());
      }
      publish(building, tarball, special, built[0].reference(), staging, resultDirectory);
      return built(built[0], output.tarball(), output.format());
    }
  }

  /**
   * Checks, before the dependencies and the build, that the registry {@code plan} pushes to answers
   * and takes its login ({@link ImageBuilder#checkPushTarget}); nothing when it writes a tarball.
   */
  void checkPushTarget(PackagingPlan plan, String imageName) {
    if (plan.push() != null) {
      builder.checkPushTarget(pushDestination(plan, imageName));
    }
  }

  private ImageDestination.Registry pushDestination(PackagingPlan plan, String imageName) {
    return new ImageDestination.Registry(
        imageName, plan.push().credentials(), settings.allowInsecureRegistries());
  }

  /**
   * Renames the verified tarball into place, with {@code result.json} written first: a result that
   * cannot be written fails the packaging while the tarball's path still holds what it held, and a
   * rename that fails puts the previous result back.
   */
  private void publish(
      Path building,
      Path tarball,
      boolean special,
      String reference,
      ExitCleanup.TemporaryDirectory staging,
      Path resultDirectory)
      throws IOException {
    ExitCleanup.Writing rename =
        special
            ? () -> {
              try (OutputStream into = Files.newOutputStream(tarball, StandardOpenOption.WRITE)) {
                Files.copy(building, into);
              }
            }
            : () ->
                Files.move(
                    building,
                    tarball,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
    if (resultDirectory == null) {
      staging.write(rename);
      return;
    }
    try (ResultFile result = ResultFile.stage(resultDirectory, reference, cleanup)) {
      result.commit();
      try {
        staging.write(rename);
      } catch (IOException | RuntimeException e) {
        try {
          result.rollBack();
        } catch (PackagingException undone) {
          e.addSuppressed(undone);
        }
        throw e;
      }
    }
  }

  private ImageVerifier verifier(PackagingPlan plan) {
    boolean wanted = settings.verification().enabled() && plan.bool("verify", true);
    ImageVerifier verifier =
        new ImageVerifier(
            settings.cacheDirectory(),
            settings.verification().withEnabled(wanted),
            listener,
            cleanup);
    Optional<String> unavailable = verifier.unavailable();
    if (unavailable.isPresent() && !wanted) {
      listener.step("Not verifying the image: " + unavailable.get());
    } else if (unavailable.isPresent()) {
      listener.warning(
          "Not verifying the image before publishing it: "
              + unavailable.get()
              + "; the model's self-check is not run");
    }
    return verifier;
  }

  private PackagingResult verifyThenPush(
      ImagePlan image, ImageDestination.Registry registry, ImageVerifier verifier, SelfCheck check)
      throws IOException {
    Path jib = Files.createDirectories(settings.cacheDirectory().resolve("jib"));
    try (ExitCleanup.TemporaryDirectory staging =
        cleanup.newTemporaryDirectory(jib, "verified-image-")) {
      Path tarball = staging.path().resolve("image.tar");
      listener.step("Building " + registry.reference() + " to verify it before pushing it");
      BuiltImage[] built = new BuiltImage[1];
      staging.write(
          () ->
              built[0] =
                  builder.build(
                      image,
                      new ImageDestination.Tarball(
                          registry.reference(), tarball, ImageFormat.Docker),
                      registry.allowInsecure()));
      verifier.verify(tarball, check.ownLayers(), check.command());
      // The registry gets an OCI manifest (it carries annotations), the verified tarball a Docker
      // one; both name the same config, which names every layer: same config, same image.
      listener.step("Pushing the verified image to " + registry.reference());
      BuiltImage pushed = builder.build(image, registry);
      if (!pushed.imageId().equals(built[0].imageId())) {
        throw new PackagingException(
            "The registry got the image "
                + pushed.imageId()
                + ", not the verified image "
                + built[0].imageId());
      }
      return built(pushed, null, null);
    }
  }

  /**
   * Says what was built, by the digest its user can check: a pushed or OCI image by its manifest's
   * digest (what the registry and {@code skopeo inspect} show), a Docker-format tarball by its
   * image ID (what {@code docker load} and {@code docker images} show; such a tarball holds no
   * manifest digest).
   *
   * @param format the tarball's format, or {@code null} when pushed
   */
  private PackagingResult built(BuiltImage image, Path tarball, ImageFormat format) {
    String id = format == ImageFormat.Docker ? "image ID " + image.imageId() : image.digest();
    listener.step("Built " + image.reference() + " (" + id + ")");
    return new PackagingResult(image, tarball);
  }
}
