package org.odahu.pack.packager.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.packager.PackagingException;

/**
 * Runs a built image's self-check inside the image's own file system, before the image is pushed:
 * the image is unpacked (see {@link VerificationRoots}) and the command runs under bubblewrap with
 * the image's environment and a read-only root, so that a model that cannot start in its image (a
 * missing package, a broken {@code init()}) stops the packaging with its own error.
 */
public final class ImageVerifier {
  /** The most of the self-check's output kept for the error message. */
  private static final int MAX_OUTPUT_BYTES = 64 << 10;

  /** How a verification run's work directory in the cache's {@code verify/} is named. */
  static final String RUN_PREFIX = "run-";

  private final Path cacheDirectory;
  private final VerificationSettings settings;
  private final PackagingListener listener;
  private final ExitCleanup cleanup;
  private Optional<String> unavailable;

  /**
   * @param cacheDirectory odahu-pack's cache: unpacked layers are kept in its {@code verify/}
   * @param settings whether and with what images run
   * @param listener progress
   * @param cleanup removes the unpacked image however the program ends
   */
  public ImageVerifier(
      Path cacheDirectory,
      VerificationSettings settings,
      PackagingListener listener,
      ExitCleanup cleanup) {
    this.cacheDirectory = cacheDirectory;
    this.settings = settings;
    this.listener = listener;
    this.cleanup = cleanup;
  }

  /**
   * Why images cannot be verified here (switched off, no bwrap, no user namespaces), or empty when
   * they can. Asked once: bwrap is tried with a trivial command.
   */
  public synchronized Optional<String> unavailable() {
    if (unavailable == null) {
      unavailable =
          settings.enabled()
              ? probe()
              : Optional.of("switched off (--no-verify, or the argument verify: false)");
    }
    return unavailable;
  }

  private Optional<String> probe() {
    List<String> command =
        List.of(
            settings.bwrap(),
            "--ro-bind",
            "/",
            "/",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--unshare-pid",
            "true");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.of(settings.bwrap() + " did not answer in 30 s");
      }
      if (process.exitValue() != 0) {
        String reason = output.strip().lines().findFirst().orElse("exit " + process.exitValue());
        return Optional.of("bwrap cannot create the namespaces it needs here (" + reason + ")");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("bwrap is not installed (" + settings.bwrap() + " cannot be run)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackagingException("Packaging was interrupted", e);
    }
  }

  /**
   * Runs {@code command} in the image written to {@code tarball}; fails with the model's own error
   * when it fails.
   *
   * @param ownLayers how many of the image's top layers are its own (dependencies, model); the
   *     layers below them (base, Java runtime, runtime jars) are the same for many images and are
   *     unpacked once and kept
   * @param command the self-check, run with the image's environment and working directory
   */
  public void verify(Path tarball, int ownLayers, List<String> command) {
    listener.step("Verifying the image: running the model's self-check inside it");
    ImageTarball image = ImageTarball.read(tarball);
    List<String> diffIds = new ArrayList<>();
    image.config().at("/rootfs/diff_ids").forEach(id -> diffIds.add(id.asText()));
    Path verify = cacheDirectory.resolve("verify");
    try (ExitCleanup.TemporaryDirectory work = newWorkDirectory(verify)) {
      Path rootfs = work.path().resolve("rootfs");
      int shared = image.layers().size() - ownLayers;
      long start = System.nanoTime();
      work.write(
          () ->
              new VerificationRoots(verify, listener, cleanup)
                  .build(image, diffIds, shared, rootfs));
      listener.detail("Image unpacked to run it in " + seconds(start));
      Path output = work.path().resolve("self-check.log");
      ProcessBuilder sandbox =
          Sandbox.readOnlyCommand(rootfs, image.config(), command, List.of())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      sandbox.command().set(0, settings.bwrap());
      run(sandbox, output);
    } catch (IOException e) {
      throw new PackagingException(
          "Cannot run the image to verify it: " + VerificationRoots.space(verify).reason(e), e);
    }
  }

  private ExitCleanup.TemporaryDirectory newWorkDirectory(Path verify) throws IOException {
    Files.createDirectories(verify);
    return cleanup.newTemporaryDirectory(verify, RUN_PREFIX);
  }

  private static String seconds(long start) {
    return String.format(java.util.Locale.ROOT, "%.2f s", (System.nanoTime() - start) / 1e9);
  }

  private void run(ProcessBuilder sandbox, Path output) throws IOException {
    long start = System.nanoTime();
    Process process = sandbox.start();
    try {
      if (!process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new PackagingException(
            "The image's self-check did not finish within "
                + settings.timeout().toSeconds()
                + " s: "
                + lastLine(read(output)));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new PackagingException("Packaging was interrupted", e);
    }
    String text = read(output);
    text.lines().forEach(listener::detail);
    listener.detail("Self-check ran in " + seconds(start));
    if (process.exitValue() != 0) {
      throw new ImageVerificationException(modelError(text));
    }
    listener.step("Self-check passed inside the image: " + lastLine(text));
  }

  private static String read(Path output) throws IOException {
    byte[] bytes = Files.readAllBytes(output);
    int from = Math.max(0, bytes.length - MAX_OUTPUT_BYTES);
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
  }

  /**
   * The model's error: the line the image's command reports it on, else its last line; without the
   * hint about the image's own {@code --python}, which is no remedy a packaging has.
   */
  static String modelError(String output) {
    List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("Error: ")) {
        String error = lines.get(i).substring("Error: ".length());
        int hint = error.lastIndexOf(" Hint: ");
        return hint >= 0 && error.substring(hint).contains("(--python")
            ? error.substring(0, hint)
            : error;
      }
    }
    return lines.isEmpty() ? "it exited without a message" : lines.get(lines.size() - 1);
  }

  private static String lastLine(String output) {
    List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
