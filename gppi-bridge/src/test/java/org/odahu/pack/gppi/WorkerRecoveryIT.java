package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.BackendTests.await;
import static org.odahu.pack.gppi.BackendTests.awaitReady;
import static org.odahu.pack.gppi.BackendTests.failure;
import static org.odahu.pack.gppi.BackendTests.merging;
import static org.odahu.pack.gppi.BackendTests.occupyTheWorker;
import static org.odahu.pack.gppi.BackendTests.options;
import static org.odahu.pack.gppi.BackendTests.prediction;
import static org.odahu.pack.gppi.BackendTests.send;
import static org.odahu.pack.gppi.BackendTests.utf8;
import static org.odahu.pack.gppi.BackendTests.waitUntil;
import static org.odahu.pack.gppi.BackendTests.with;
import static org.odahu.pack.gppi.BackendTests.workerProcesses;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;

/** Workers that die at awkward moments: the pool notices, replaces them and loses no request. */
class WorkerRecoveryIT {
  @TempDir Path temp;

  @Test
  void workerDeathWhileRetryingAFailedBatchAloneLosesNoRequest() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().batching(merging()).build(),
        backend -> {
          CompletionStage<Prediction> blocker = occupyTheWorker(backend, 0.5);
          // Merged, the batch raises (the first row is "raise"); retried alone, "exit" kills the
          // worker with the last request still to go. Each row a string and an integer: only
          // requests whose columns hold the same kinds merge.
          CompletionStage<Prediction> raising = send(backend, "{\"data\":[[\"raise\",5]]}");
          CompletionStage<Prediction> exiting = send(backend, "{\"data\":[[\"exit\",0]]}");
          CompletionStage<Prediction> fine = send(backend, "{\"data\":[[\"ok\",1]]}");
          await(blocker);
          assertEquals("unruly refuses 5", failure(raising).getMessage());
          Throwable died = failure(exiting);
          assertInstanceOf(WorkerCrashedException.class, died);
          assertTrue(died.getMessage().contains("exit code 3"), died.getMessage());
          assertEquals("[[\"ok\",1]]", utf8(await(fine).predictionJson()));
          awaitReady(backend);
          assertEquals(1, backend.stats().restarts());
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
        });
  }

  @Test
  void workerKilledWhileIdleIsReplacedBeforeAnyRequestNeedsIt() throws Exception {
    List<String> lost = new CopyOnWriteArrayList<>();
    BackendListener listener =
        new BackendListener() {
          @Override
          public void onWorkerLost(String worker, String reason) {
            lost.add(reason);
          }
        };
    with(
        Examples.testModel("unruly"),
        options().listener(listener).build(),
        backend -> {
          killTheOnlyWorker();
          waitUntil(() -> !backend.isReady(), Duration.ofSeconds(10), "readiness stayed true");
          awaitReady(backend);
          assertEquals(1, backend.stats().restarts());
          assertTrue(
              lost.get(0).startsWith("it exited while idle (killed by signal 9"), lost.get(0));
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));

          // A request arriving while the replacement starts waits for it instead of failing.
          killTheOnlyWorker();
          waitUntil(() -> !backend.isReady(), Duration.ofSeconds(10), "readiness stayed true");
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
          assertEquals(2, backend.stats().restarts());
        });
  }

  @Test
  void aStoppedWorkerFailsItsPingDropsReadinessAndIsReplaced() throws Exception {
    List<String> lost = new CopyOnWriteArrayList<>();
    BackendListener listener =
        new BackendListener() {
          @Override
          public void onWorkerLost(String worker, String reason) {
            lost.add(reason);
          }
        };
    with(
        Examples.testModel("unruly"),
        options()
            .pingInterval(Duration.ofMillis(500))
            .timeout(Duration.ofSeconds(1))
            .listener(listener)
            .build(),
        backend -> {
          // A running worker answers its pings.
          sleep(Duration.ofMillis(1_200));
          assertEquals(0, backend.stats().restarts());
          assertTrue(backend.isReady());
          List<ProcessHandle> workers = workerProcesses();
          assertEquals(1, workers.size(), workers.toString());
          ProcessHandle stopped = workers.get(0);
          signal(stopped, "STOP");
          long start = System.nanoTime();
          waitUntil(
              () -> !backend.isReady(), Duration.ofSeconds(10), "readiness stayed true (STOP)");
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          // Pinged within 500 ms of going idle, declared wedged a call timeout (1 s) later.
          assertTrue(millis < 3_000, "readiness dropped only after " + millis + " ms");
          awaitReady(backend);
          assertFalse(stopped.isAlive(), "the stopped worker was not killed");
          assertEquals(List.of("it did not answer a ping within 1 s (stopped or wedged)"), lost);
          assertEquals(1, backend.stats().restarts());
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
        });
  }

  @Test
  void aWorkerWhoseThreadHoldsTheGilLongerThanThePingIntervalIsKept() throws Exception {
    // ODAHU's gunicorn let a worker be silent for its --timeout; so does the ping deadline.
    List<String> lost = new CopyOnWriteArrayList<>();
    BackendListener listener =
        new BackendListener() {
          @Override
          public void onWorkerLost(String worker, String reason) {
            lost.add(reason);
          }
        };
    with(
        Examples.testModel("unruly"),
        options()
            .pingInterval(Duration.ofMillis(300))
            .timeout(Duration.ofSeconds(10))
            .listener(listener)
            .build(),
        backend -> {
          assertEquals(
              "[[\"gil\",2]]",
              utf8(await(send(backend, "{\"data\":[[\"gil\",2]]}")).predictionJson()));
          // Pinged 300 ms after the answer, while the thread holds the GIL until 2.2 s.
          sleep(Duration.ofMillis(3_500));
          assertEquals(List.of(), lost);
          assertEquals(0, backend.stats().restarts());
          assertTrue(backend.isReady());
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
        });
  }

  @Test
  void aThreadTheModelLeftRunningDoesNotHoldTheWorkersExit() throws Exception {
    try (ModelArtifact opened = ModelArtifact.open(Examples.testModel("unruly"))) {
      ModelBackend backend = ModelBackends.create(opened, options().build());
      try {
        await(backend.start());
        assertEquals(
            "[[\"thread\",60]]",
            utf8(await(send(backend, "{\"data\":[[\"thread\",60]]}")).predictionJson()));
        List<ProcessHandle> workers = workerProcesses();
        assertEquals(1, workers.size(), workers.toString());
        long start = System.nanoTime();
        backend.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // A normal exit would wait for the thread: 5 s of grace, then SIGKILL.
        assertTrue(millis < 3_000, "closing took " + millis + " ms");
        assertFalse(workers.get(0).isAlive());
      } finally {
        backend.close();
      }
    }
  }

  @Test
  void aModelsSysExitEndsItsWorkerAtOnceThoughAThreadOfItsOwnRuns() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().timeout(Duration.ofSeconds(30)).build(),
        backend -> {
          assertEquals(
              "[[\"thread\",60]]",
              utf8(await(send(backend, "{\"data\":[[\"thread\",60]]}")).predictionJson()));
          long start = System.nanoTime();
          Throwable died = failure(send(backend, "{\"data\":[[\"sysexit\",0]]}"));
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          // A normal exit would join the thread: the call would end only at its 30-s timeout.
          assertInstanceOf(WorkerCrashedException.class, died);
          assertTrue(millis < 10_000, "the call took " + millis + " ms");
          awaitReady(backend);
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
        });
  }

  @Test
  void killEndsTheCallInFlightAndACloseWaitingForIt() throws Exception {
    try (ModelArtifact opened = ModelArtifact.open(Examples.testModel("unruly"))) {
      ModelBackend backend =
          ModelBackends.create(opened, options().timeout(Duration.ofDays(1)).build());
      try {
        await(backend.start());
        CompletionStage<Prediction> call = send(backend, "{\"data\":[[\"sleep\",60]]}");
        sleep(Duration.ofMillis(500));
        List<ProcessHandle> workers = workerProcesses();
        assertEquals(1, workers.size(), workers.toString());
        // close() waits for the call, for up to a day here.
        Thread closing = Thread.ofPlatform().start(backend::close);
        closing.join(500);
        assertTrue(closing.isAlive(), "close() did not wait for the call in flight");
        long start = System.nanoTime();
        backend.kill();
        closing.join(10_000);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFalse(closing.isAlive(), "close() still waits " + millis + " ms after kill()");
        assertEquals(
            "The model backend was stopped before answering",
            assertInstanceOf(BackendNotReadyException.class, failure(call)).getMessage());
        assertFalse(workers.get(0).isAlive());
        assertInstanceOf(
            BackendNotReadyException.class, failure(send(backend, "{\"data\":[[1]]}")));
      } finally {
        backend.kill();
        backend.close();
      }
    }
  }

  @Test
  void aWorkerThatDiesLeavingAForkedChildIsNoticedAtOnce() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().build(),
        backend -> {
          long start = System.nanoTime();
          // The child sleeps 15 s holding copies of the worker's descriptors, unless the worker's
          // at-fork hook closed the protocol's.
          Throwable died = failure(send(backend, "{\"data\":[[\"forkexit\",15]]}"));
          long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
          assertInstanceOf(WorkerCrashedException.class, died);
          assertTrue(died.getMessage().contains("exit code 3"), died.getMessage());
          // Its start printed "unruly: init on stdout", long before this call: not its last word.
          assertFalse(died.getMessage().contains("last output"), died.getMessage());
          assertTrue(seconds < 10, "the worker's death was noticed after " + seconds + " s");
          awaitReady(backend);
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
        });
  }

  /**
   * A child forked in C (past Python's at-fork hooks) holds the dead worker's pipes: only the
   * worker's exit shows its death, and its process group goes with it.
   */
  @Test
  void aWorkerThatDiesWhileAChildForkedInCHoldsItsPipesIsNoticedAtOnce() throws Exception {
    Path pidFile = temp.resolve("cchild.pid");
    with(
        Examples.testModel("unruly"),
        options().build(),
        backend -> {
          long start = System.nanoTime();
          Throwable died =
              failure(send(backend, "{\"data\":[[\"cforkexit\",60,\"" + pidFile + "\"]]}"));
          long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
          assertInstanceOf(WorkerCrashedException.class, died);
          assertTrue(died.getMessage().contains("exit code 3"), died.getMessage());
          assertTrue(seconds < 10, "the worker's death was noticed after " + seconds + " s");
          long child = Long.parseLong(read(pidFile).strip());
          waitUntil(
              () -> ProcessHandle.of(child).filter(ProcessHandle::isAlive).isEmpty(),
              Duration.ofSeconds(5),
              "the C-forked child outlived its dead worker");
          awaitReady(backend);
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
        });
  }

  /** A worker that dies on its own takes its model's processes along, as a killed one does. */
  @Test
  void aWorkerThatDiesGoesWithTheProcessesItStarted() throws Exception {
    Path pidFile = temp.resolve("orphan.pid");
    with(
        Examples.testModel("unruly"),
        options().build(),
        backend -> {
          assertInstanceOf(
              WorkerCrashedException.class,
              failure(send(backend, "{\"data\":[[\"spawnexit\",60,\"" + pidFile + "\"]]}")));
          long child = Long.parseLong(read(pidFile).strip());
          waitUntil(
              () -> ProcessHandle.of(child).filter(ProcessHandle::isAlive).isEmpty(),
              Duration.ofSeconds(5),
              "the model's helper process outlived its dead worker");
        });
  }

  @Test
  void aWorkerKilledOverItsTimeGoesWithTheProcessesItStarted() throws Exception {
    Path pidFile = temp.resolve("child.pid");
    with(
        Examples.testModel("unruly"),
        options().timeout(Duration.ofSeconds(1)).build(),
        backend -> {
          // A child forked past Python's at-fork hooks keeps the worker's pipes open for 30 s.
          Throwable error =
              failure(send(backend, "{\"data\":[[\"cforksleep\",30,\"" + pidFile + "\"]]}"));
          assertInstanceOf(PredictionTimeoutException.class, error);
          waitUntil(
              () -> backend.stats().restarts() == 1,
              Duration.ofSeconds(10),
              "the killed worker was not replaced");
          long child = Long.parseLong(read(pidFile).strip());
          waitUntil(
              () -> ProcessHandle.of(child).filter(ProcessHandle::isAlive).isEmpty(),
              Duration.ofSeconds(5),
              "the model's child outlived its killed worker");
          awaitReady(backend);
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
        });
  }

  @Test
  void aClosedPoolLeavesNoProcessItsModelStarted() throws Exception {
    Path pidFile = temp.resolve("helper.pid");
    with(
        Examples.testModel("unruly"),
        options().build(),
        backend ->
            assertTrue(
                utf8(await(send(backend, "{\"data\":[[\"spawn\",60,\"" + pidFile + "\"]]}"))
                        .predictionJson())
                    .startsWith("[[\"spawn\""))); // the worker exits on the pool's close
    long child = Long.parseLong(read(pidFile).strip());
    waitUntil(
        () -> ProcessHandle.of(child).filter(ProcessHandle::isAlive).isEmpty(),
        Duration.ofSeconds(5),
        "the model's helper process outlived the pool");
  }

  @Test
  void callsQueuedWhenTheOnlyWorkerCannotRestartFailInsteadOfWaitingForever() throws Exception {
    // Batch work's calls have no time limit while queued: only the failed restart can end them.
    BackendOptions options =
        options()
            .timeoutCountsQueue(false)
            .environment(Map.of("ODAHU_TEST_POISON", temp.resolve("poison").toString()))
            .build();
    with(
        Examples.testModel("unruly"),
        options,
        backend -> {
          CompletionStage<Prediction> dying = send(backend, "{\"data\":[[\"poison\",0.5]]}");
          waitUntil(() -> backend.stats().busyWorkers() == 1);
          CompletionStage<Prediction> queued = send(backend, "{\"data\":[[\"ok\",1]]}");
          assertInstanceOf(WorkerCrashedException.class, failure(dying));
          Throwable refused = failure(queued);
          assertInstanceOf(BackendNotReadyException.class, refused);
          // The error's type, not its text (which goes to the log).
          assertEquals(
              "The model is not ready: The model failed to start while running init() of the"
                  + " entrypoint module 'entrypoint': RuntimeError; the log has the details",
              refused.getMessage());
        });
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void signal(ProcessHandle process, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
      assertEquals(0, kill.waitFor());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void killTheOnlyWorker() {
    List<ProcessHandle> workers = workerProcesses();
    assertEquals(1, workers.size(), workers.toString());
    workers.get(0).destroyForcibly();
    try {
      workers.get(0).onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
