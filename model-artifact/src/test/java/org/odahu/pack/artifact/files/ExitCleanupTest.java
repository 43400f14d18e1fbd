package org.odahu.pack.artifact.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a program registers is undone once, newest first, and never half-way through a write. */
class ExitCleanupTest {
  @TempDir Path temp;

  @Test
  void closingUndoesEverythingNewestFirstAndOnce() throws IOException {
    ExitCleanup cleanup = ExitCleanup.manual();
    List<String> undone = new ArrayList<>();
    cleanup.register("first", () -> undone.add("first"));
    ExitCleanup.TemporaryDirectory directory = cleanup.newTemporaryDirectory(temp, "work-");
    Files.createDirectories(directory.path().resolve("a/b"));
    Files.createSymbolicLink(directory.path().resolve("a/link"), temp);
    ExitCleanup.Registration last = cleanup.register("last", () -> undone.add("last"));
    last.close();
    cleanup.close();
    cleanup.close();
    assertEquals(List.of("last", "first"), undone);
    assertFalse(Files.exists(directory.path()));
    assertTrue(Files.isDirectory(temp), "a link is deleted, not what it points to");
  }

  @Test
  void whatIsRegisteredOnceItHasBegunIsUndoneAtOnce() throws IOException {
    ExitCleanup cleanup = ExitCleanup.manual();
    cleanup.close();
    List<String> undone = new ArrayList<>();
    cleanup.register("late", () -> undone.add("late"));
    assertEquals(List.of("late"), undone);
    IOException refused =
        assertThrows(IOException.class, () -> cleanup.newTemporaryDirectory(temp, "work-"));
    assertTrue(refused.getMessage().endsWith(": the program is stopping"), refused.getMessage());
    try (var left = Files.list(temp)) {
      assertEquals(List.of(), left.toList(), "a directory created too late is not left behind");
    }
  }

  @Test
  void whatIsCreatedAndRegisteredInOneStepIsUndoneEvenIfCleanupBeginsMeanwhile() throws Exception {
    ExitCleanup cleanup = ExitCleanup.manual();
    List<String> undone = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch creating = new CountDownLatch(1);
    CountDownLatch mayFinish = new CountDownLatch(1);
    Thread creator =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    cleanup.create(
                        "thing",
                        () -> {
                          creating.countDown();
                          await(mayFinish);
                          return "thing";
                        },
                        thing -> () -> undone.add(thing));
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    await(creating);
    Thread closer = Thread.ofPlatform().start(cleanup::close);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (closer.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(Thread.State.BLOCKED, closer.getState(), "cleanup waits for the creation");
    assertEquals(List.of(), undone);
    mayFinish.countDown();
    creator.join();
    closer.join();
    assertEquals(List.of("thing"), undone);

    List<String> created = new ArrayList<>();
    IOException refused =
        assertThrows(
            IOException.class,
            () -> cleanup.create("late thing", () -> created.add("late thing"), added -> () -> {}));
    assertEquals("Not creating late thing: the program is stopping", refused.getMessage());
    assertEquals(List.of(), created, "nothing is created once cleanup has begun");
  }

  @Test
  void deletionWaitsForTheWriteInProgressAndStopsTheNextOnes() throws Exception {
    ExitCleanup cleanup = ExitCleanup.manual();
    ExitCleanup.TemporaryDirectory directory = cleanup.newTemporaryDirectory(temp, "work-");
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch mayFinish = new CountDownLatch(1);
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    directory.write(
                        () -> {
                          writing.countDown();
                          await(mayFinish);
                          Files.createDirectories(directory.path().resolve("late/dir"));
                        });
                  } catch (IOException e) {
                    throw new AssertionError(e);
                  }
                });
    assertTrue(writing.await(10, TimeUnit.SECONDS));
    Thread closer = Thread.ofPlatform().start(cleanup::close);
    closer.join(200);
    assertTrue(closer.isAlive(), "deletion waits for the write in progress");
    mayFinish.countDown();
    writer.join(10_000);
    closer.join(10_000);
    assertFalse(Files.exists(directory.path()), "what the write made is deleted too");
    IOException refused =
        assertThrows(
            IOException.class,
            () -> directory.write(() -> Files.createDirectories(directory.path())));
    assertTrue(refused.getMessage().endsWith("was removed: the program is stopping"));
    assertFalse(Files.exists(directory.path()), "nothing is recreated once it is gone");
  }

  @Test
  void aSecondCloseWaitsForTheUndoingAnotherThreadIsDoing() throws Exception {
    ExitCleanup cleanup = ExitCleanup.manual();
    CountDownLatch undoing = new CountDownLatch(1);
    CountDownLatch mayFinish = new CountDownLatch(1);
    List<String> undone = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExitCleanup.Registration registration =
        cleanup.register(
            "slow thing",
            () -> {
              undoing.countDown();
              await(mayFinish);
              undone.add("slow thing");
            });
    // The program's thread undoes it (as image run's main thread deletes the rootfs)...
    Thread first = Thread.ofPlatform().start(registration::close);
    assertTrue(undoing.await(10, TimeUnit.SECONDS));
    // ...while the shutdown hook closes everything: it must not return before the undoing is over,
    // or the JVM exits with the rootfs half deleted.
    Thread hook = Thread.ofPlatform().start(cleanup::close);
    hook.join(300);
    assertTrue(hook.isAlive(), "the hook returned while another thread was still undoing");
    mayFinish.countDown();
    hook.join(10_000);
    first.join(10_000);
    assertEquals(List.of("slow thing"), undone);
  }

  @Test
  void aDirectoryBeingRemovedSaysSoToItsWriter() throws Exception {
    ExitCleanup cleanup = ExitCleanup.manual();
    ExitCleanup.TemporaryDirectory directory = cleanup.newTemporaryDirectory(temp, "work-");
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    directory.write(
                        () -> {
                          writing.countDown();
                          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                          while (!directory.removing() && System.nanoTime() < until) {
                            Thread.onSpinWait();
                          }
                          if (directory.removing()) {
                            stopped.countDown();
                          }
                        });
                  } catch (IOException e) {
                    throw new AssertionError(e);
                  }
                });
    assertTrue(writing.await(10, TimeUnit.SECONDS));
    cleanup.close();
    writer.join(10_000);
    assertEquals(0, stopped.getCount(), "the writer was told while it wrote");
    assertFalse(Files.exists(directory.path()));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
