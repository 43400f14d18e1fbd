package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.testing.RecordingListener;
import org.odahu.pack.pydeps.testing.TarImages;

/**
 * The verifier around the sandbox, with a stand-in for bwrap (a script that reports what it would
 * run): which layers are kept unpacked, how the root is put together, what a failure says.
 */
class ImageVerifierTest {
  @TempDir Path temp;

  private static byte[] text(String content) {
    return content.getBytes(StandardCharsets.UTF_8);
  }

  /** Base, "jars" and "model" layers; the model replaces a file of the base. */
  private Path image() throws IOException {
    return TarImages.dockerSave(
        temp.resolve("image.tar"),
        List.of(
            new TarImages.Layer()
                .file("usr/lib/base.txt", text("base"), 0644)
                .file("etc/conf", text("base's"), 0644),
            new TarImages.Layer().file("opt/odahu-pack/lib/server.jar", text("jar"), 0644),
            new TarImages.Layer()
                .file("etc/conf", text("model's"), 0644)
                .file("app/entrypoint.py", text("import x"), 0644)),
        Map.of("PATH", "/usr/bin"),
        "amd64");
  }

  /** A bwrap stand-in: answers the probe, then prints {@code output} and exits {@code status}. */
  private Path bwrap(String output, int status) throws IOException {
    Path script = temp.resolve("bwrap-" + status);
    Files.writeString(
        script,
        "#!/bin/sh\n[ \"$#\" -le 10 ] && exit 0\nprintf '%s\\n' '"
            + output
            + "'\nexit "
            + status
            + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private ImageVerifier verifier(Path bwrap, RecordingListener listener) {
    return new ImageVerifier(
        temp.resolve("cache"),
        new VerificationSettings(true, bwrap.toString(), Duration.ofMinutes(1)),
        listener,
        ExitCleanup.manual());
  }

  private List<Path> kept() throws IOException {
    try (Stream<Path> entries = Files.list(temp.resolve("cache/verify"))) {
      return entries.filter(p -> Files.isDirectory(p.resolve("rootfs"))).toList();
    }
  }

  @Test
  void theLayersBelowTheImagesOwnAreUnpackedOnceAndKeptAsTheyAre() throws IOException {
    RecordingListener listener = new RecordingListener();
    ImageVerifier verifier = verifier(bwrap("Self-check is successful", 0), listener);
    assertEquals(Optional.empty(), verifier.unavailable());
    verifier.verify(image(), 1, List.of("self_check"));
    verifier.verify(image(), 1, List.of("self_check"));

    assertEquals(1, kept().size(), "one kept root for the same layers: " + kept());
    Path root = kept().get(0).resolve("rootfs");
    assertTrue(Files.exists(root.resolve("opt/odahu-pack/lib/server.jar")), "base and jars kept");
    assertFalse(Files.exists(root.resolve("app")), "the model is the image's own");
    assertEquals("base's", Files.readString(root.resolve("etc/conf")), "never written through");
    assertEquals(
        1,
        listener.lines().stream()
            .filter(l -> l.startsWith("Unpacking the image's shared"))
            .count());
    assertEquals(
        2,
        listener.lines().stream()
            .filter(l -> l.equals("Self-check passed inside the image: Self-check is successful"))
            .count());
    try (Stream<Path> left = Files.list(temp.resolve("cache/verify"))) {
      assertEquals(
          List.of(),
          left.filter(p -> p.getFileName().toString().startsWith("run-")).toList(),
          "each run's root is deleted");
    }
  }

  @Test
  void aPackagingStoppingWhileItUnpacksSaysSoInsteadOfUnpackingTheWholeImage() throws Exception {
    ExitCleanup cleanup = ExitCleanup.manual();
    Thread[] hook = new Thread[1];
    RecordingListener recorder = new RecordingListener();
    PackagingListener listener =
        new PackagingListener() {
          @Override
          public void step(String description) {
            recorder.step(description);
            if (description.startsWith("Unpacking the image's shared")) {
              // As the shutdown hook would: it begins, then waits for the run's directory.
              hook[0] = new Thread(cleanup::close);
              hook[0].start();
              awaitClosing(cleanup);
            }
          }

          @Override
          public void detail(String message) {
            recorder.detail(message);
          }
        };
    ImageVerifier verifier =
        new ImageVerifier(
            temp.resolve("cache"),
            new VerificationSettings(
                true, bwrap("Self-check is successful", 0).toString(), Duration.ofMinutes(1)),
            listener,
            cleanup);
    PackagingException stopped =
        assertThrows(
            PackagingException.class, () -> verifier.verify(image(), 1, List.of("self_check")));
    hook[0].join(10_000);
    assertTrue(stopped.getMessage().endsWith(": the program is stopping"), stopped.getMessage());
    assertFalse(
        recorder.lines().stream().anyMatch(l -> l.startsWith("Unpacking the whole image")),
        recorder.lines().toString());
    assertEquals(List.of(), kept(), "nothing kept, nothing staged");
  }

  /** Returns once {@code cleanup} has begun: what is registered then is undone at once. */
  private static void awaitClosing(ExitCleanup cleanup) {
    java.util.concurrent.atomic.AtomicBoolean undone =
        new java.util.concurrent.atomic.AtomicBoolean();
    while (!undone.get()) {
      cleanup.register("probe", () -> undone.set(true));
      Thread.onSpinWait();
    }
  }

  @Test
  void aFailingSelfCheckReportsTheModelsError() throws IOException {
    ImageVerificationException error =
        assertThrows(
            ImageVerificationException.class,
            () ->
                verifier(
                        bwrap(
                            "Error: The model failed to start: ModuleNotFoundError: No module named"
                                + " xgboost. Hint: install them there, or pick an interpreter that"
                                + " has them (--python).",
                            1),
                        new RecordingListener())
                    .verify(image(), 1, List.of("self_check")));
    assertEquals(
        "The model failed to start: ModuleNotFoundError: No module named xgboost.",
        error.modelError());
    assertEquals(
        "The image failed its self-check, so it was not published: The model failed to start:"
            + " ModuleNotFoundError: No module named xgboost. Hint: declare the module's package in"
            + " the model's conda.yaml (under pip: for PyPI) so that the image installs it, or name"
            + " a base image that has it (dockerfileBaseImage). (--no-verify skips the check)",
        error.getMessage());
  }

  @Test
  void onlyTheImageCommandsOwnInterpreterHintIsLeftOut() {
    assertEquals(
        "Too many open files. Hint: raise the limit (ulimit -n).",
        ImageVerifier.modelError(
            "x\nError: Too many open files. Hint: raise the limit (ulimit -n).\n"));
    assertEquals(
        "No module named x.",
        ImageVerifier.modelError(
            "Error: No module named x. Hint: install them there, or pick an interpreter that has"
                + " them (--python).\n"));
  }

  @Test
  void withoutBwrapTheVerifierSaysWhy() {
    ImageVerifier verifier = verifier(temp.resolve("no-such-bwrap"), new RecordingListener());
    assertEquals(
        Optional.of("bwrap is not installed (" + temp.resolve("no-such-bwrap") + " cannot be run)"),
        verifier.unavailable());
  }
}
