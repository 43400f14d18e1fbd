package org.odahu.pack.packager.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.odahu.pack.artifact.files.DiskSpace;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.packager.PackagingException;

/**
 * ODAHU's {@code result.json} ({@code {"image": "<name>"}}), written under a temporary name in its
 * directory ({@code .result.json.*.partial}) and renamed to its name: a write that fails leaves the
 * {@code result.json} that was there, never an empty or partial one, and the temporary file is
 * deleted when closed, or by the program's cleanup if it is stopped first.
 */
final class ResultFile implements AutoCloseable {
  static final String NAME = "result.json";

  /** The largest previous {@code result.json} kept to put back (ODAHU's is a line). */
  private static final long MAX_KEPT = 1 << 20;

  private final Path file;
  private final Path partial;
  private final ExitCleanup.Registration registration;
  private final ExitCleanup cleanup;
  private boolean existed;
  private byte[] previous;
  private boolean committed;

  private ResultFile(
      Path file, Path partial, ExitCleanup.Registration registration, ExitCleanup cleanup) {
    this.file = file;
    this.partial = partial;
    this.registration = registration;
    this.cleanup = cleanup;
  }

  /**
   * Writes {@code image}'s result to a temporary file in {@code directory}, to become its {@code
   * result.json} on {@link #commit()}.
   *
   * @throws PackagingException naming the file when it cannot be written
   */
  static ResultFile stage(Path directory, String image, ExitCleanup cleanup) {
    return stage(directory, content(image), cleanup);
  }

  /** Writes {@code image}'s result as {@code directory}'s {@code result.json} at once. */
  static Path write(Path directory, String image, ExitCleanup cleanup) {
    try (ResultFile result = stage(directory, image, cleanup)) {
      result.commit();
      return result.file;
    }
  }

  private static ResultFile stage(Path directory, byte[] content, ExitCleanup cleanup) {
    Path file = directory.resolve(NAME);
    Path partial = directory.resolve("." + NAME + "." + UUID.randomUUID() + ".partial");
    ExitCleanup.Created<FileChannel> created;
    try {
      // Created as any new file is (umask): the result is for whoever reads the directory.
      created =
          cleanup.createUndoable(
              partial.toString(),
              () ->
                  FileChannel.open(
                      partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              channel ->
                  () -> {
                    channel.close();
                    Files.deleteIfExists(partial);
                  });
    } catch (IOException e) {
      throw failure(file, e);
    }
    ResultFile result = new ResultFile(file, partial, created.registration(), cleanup);
    boolean written = false;
    try (FileChannel channel = created.value()) {
      ByteBuffer bytes = ByteBuffer.wrap(content);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
      written = true;
    } catch (IOException e) {
      throw failure(file, e);
    } finally {
      if (!written) {
        result.close();
      }
    }
    return result;
  }

  /** As ODAHU's packagers write it, Python's {@code json.dump}: {@code {"image": "NAME"}}. */
  private static byte[] content(String image) {
    try {
      return ("{\"image\": " + new ObjectMapper().writeValueAsString(image) + "}")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Renames the written result to {@code result.json}, keeping what that file held for {@link
   * #rollBack()}.
   *
   * @throws PackagingException naming the file when it cannot be renamed (e.g. a directory there)
   */
  void commit() {
    try {
      existed = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
      previous =
          Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) <= MAX_KEPT
              ? Files.readAllBytes(file)
              : null;
      Files.move(
          partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw failure(file, e);
    }
    committed = true;
    registration.close();
  }

  /**
   * Undoes {@link #commit()} when what it goes with failed: puts back the {@code result.json} that
   * was there (unless it was too large to keep), or deletes the new one if there was none.
   */
  void rollBack() {
    if (!committed) {
      return;
    }
    if (!existed) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw failure(file, e);
      }
    } else if (previous != null) {
      try (ResultFile old = stage(file.getParent(), previous, cleanup)) {
        old.commit();
      }
    }
  }

  private static PackagingException failure(Path file, IOException e) {
    String reason =
        DiskSpace.exhausted(e)
            ? new DiskSpace(file.getParent(), "the result directory").full()
            : OutputPaths.reason(e);
    return new PackagingException("Cannot write " + file + ": " + reason, e);
  }

  /** Deletes the temporary file unless it became {@code result.json}. */
  @Override
  public void close() {
    if (!committed) {
      registration.close();
    }
  }
}
