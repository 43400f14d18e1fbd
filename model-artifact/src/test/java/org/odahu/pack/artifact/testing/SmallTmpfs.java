package org.odahu.pack.artifact.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs, to fill a file system for real ({@code No space left on device}). Mounting needs
 * root: elsewhere the test using it is skipped. Closing unmounts it.
 */
public final class SmallTmpfs implements AutoCloseable {
  private final Path path;

  private SmallTmpfs(Path path) {
    this.path = path;
  }

  /** Mounts a tmpfs of {@code size} (as mount's {@code size=}, e.g. {@code 1m}) on {@code path}. */
  public static SmallTmpfs mount(Path path, String size) throws IOException, InterruptedException {
    Files.createDirectories(path);
    String failed = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path.toString());
    Assumptions.assumeTrue(failed == null, () -> "cannot mount a tmpfs here: " + failed);
    return new SmallTmpfs(path);
  }

  /** Where it is mounted. */
  public Path path() {
    return path;
  }

  /** Fills it up with a file {@code name}, until writing fails; returns that file. */
  public Path fill(String name) throws IOException {
    Path filler = path.resolve(name);
    byte[] block = new byte[64 << 10];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
    return filler;
  }

  @Override
  public void close() throws IOException {
    String failed;
    try {
      failed = run("umount", path.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed = "interrupted";
    }
    if (failed != null) {
      throw new IOException("cannot unmount " + path + ": " + failed);
    }
  }

  /** Runs a command: null when it succeeded, else its output. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return command[0] + " did not finish";
    }
    return process.exitValue() == 0 ? null : output.strip();
  }
}
