package org.odahu.pack.gppi.graalpy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelBackends;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.WorkerCrashedException;
import org.odahu.pack.gppi.testing.Inputs;

/** What the GraalPy runtime does with models that hang, exit, start threads or import late. */
class GraalPyFailuresIT {
  /** Time for the deadline thread's tick and a loaded machine: a bound, not a benchmark. */
  private static final Duration SLACK = Duration.ofSeconds(3);

  private static BackendOptions.Builder options(Duration timeout, int workers) {
    return BackendOptions.builder()
        .runtime(BackendOptions.GRAALPY)
        .python(Examples.python())
        .timeout(timeout)
        .workers(workers);
  }

  private static ModelBackend backend(ModelArtifact artifact, Duration timeout, int workers) {
    return ModelBackends.create(artifact, options(timeout, workers).build());
  }

  private static CompletableFuture<Prediction> send(ModelBackend backend, String data) {
    return backend.predict(Inputs.body("{\"data\":" + data + "}")).toCompletableFuture();
  }

  private static Throwable failure(CompletableFuture<Prediction> call, Duration within) {
    ExecutionException error =
        assertThrows(
            ExecutionException.class, () -> call.get(within.toMillis(), TimeUnit.MILLISECONDS));
    return error.getCause();
  }

  private static void awaitRestarts(ModelBackend backend, long restarts, Duration within)
      throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (!backend.isReady() || backend.stats().restarts() < restarts) {
      assertTrue(System.nanoTime() < until, "no worker replaced within " + within);
      Thread.sleep(50);
    }
  }

  @Test
  void aCallThatIgnoresCancellationHoldsUpNeitherOtherTimeoutsNorTheClose() throws Exception {
    Duration timeout = Duration.ofSeconds(2);
    try (ModelArtifact artifact = ModelArtifact.open(Examples.testModel("spin"))) {
      ModelBackend backend = backend(artifact, timeout, 2);
      try {
        backend.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
        // GraalPy's own sleep of a float goes on whatever cancels its context: killing its worker
        // must not keep the deadline thread from the spinning call on the other worker.
        CompletableFuture<Prediction> sleeping = send(backend, "[[\"rawsleep\",90]]");
        // A second later: its deadline comes in a later pass of the deadline thread.
        Thread.sleep(1_000);
        long start = System.nanoTime();
        CompletableFuture<Prediction> spinning = send(backend, "[[\"spin\"]]");
        Duration bound = timeout.plus(SLACK);
        assertInstanceOf(PredictionTimeoutException.class, failure(sleeping, bound));
        assertInstanceOf(PredictionTimeoutException.class, failure(spinning, bound));
        // From its start: get() waited only for what was left after the first.
        assertTrue(System.nanoTime() - start < bound.toNanos(), "the spinning call timed out late");
        awaitRestarts(backend, 1, Duration.ofSeconds(60));
        assertEquals(
            "{\"prediction\":[[6]],\"columns\":[\"sum\"]}",
            Inputs.answer(send(backend, "[[1,2,3]]").get(60, TimeUnit.SECONDS)));

        long closing = System.nanoTime();
        backend.close();
        // The pool waits for the killed worker's stuck call a second, and for its context's
        // close a few more, not for the call's timeout and more (17 s here, 75 s by default).
        assertTrue(
            System.nanoTime() - closing < Duration.ofSeconds(9).toNanos(),
            "closing waited for the sleep: "
                + Duration.ofNanos(System.nanoTime() - closing).toMillis()
                + " ms");
      } finally {
        backend.close(); // once more if a check failed: closing twice does nothing
      }
    }
  }

  @Test
  void aSleepingCallIsCancelledAndItsWorkerReplacedAtOnce() throws Exception {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.testModel("spin"));
        ModelBackend backend = backend(artifact, Duration.ofSeconds(5), 1)) {
      backend.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
      assertInstanceOf(
          PredictionTimeoutException.class,
          failure(send(backend, "[[\"sleep\",150.5]]"), Duration.ofSeconds(5).plus(SLACK)));
      // Not after the 150 s: the sleep stops when the context is cancelled.
      awaitRestarts(backend, 1, Duration.ofSeconds(60));
      assertEquals(
          "{\"prediction\":[[\"sleep\"]],\"columns\":[\"done\"]}",
          Inputs.answer(send(backend, "[[\"sleep\",1.25]]").get(60, TimeUnit.SECONDS)));
    }
  }

  @Test
  void threadsExitsAndLateImports() throws Exception {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.testModel("spin"));
        ModelBackend backend = backend(artifact, Duration.ofSeconds(30), 1)) {
      backend.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
      for (int call = 0; call < 2; call++) {
        assertEquals(
            "{\"prediction\":[[7]],\"columns\":[\"thread\"]}",
            Inputs.answer(send(backend, "[[\"thread\"]]").get(60, TimeUnit.SECONDS)));
      }
      assertEquals(0, backend.stats().restarts(), "a thread cost the worker");

      Throwable lateImport =
          failure(send(backend, "[[\"import\",\"pandas\"]]"), Duration.ofSeconds(60));
      assertInstanceOf(ModelPredictionException.class, lateImport);
      String message = lateImport.getMessage();
      assertTrue(message.startsWith("No module named 'pandas'"), message);
      assertTrue(message.contains("pure-Python models only"), message);
      assertTrue(message.contains("--runtime cpython"), message);
      // A C extension GraalPy cannot load is an ImportError naming no module: hinted too.
      Throwable extension =
          failure(send(backend, "[[\"import\",\"_ctypes\"]]"), Duration.ofSeconds(60));
      assertTrue(extension.getMessage().contains("--runtime cpython"), extension.getMessage());
      assertFalse(extension.getMessage().contains(".."), extension.getMessage());
      // A module of the model itself is no dependency: no hint to serve it elsewhere.
      Throwable ownModule =
          failure(
              send(backend, "[[\"import\",\"odahuflow_model.nothere\"]]"), Duration.ofSeconds(60));
      assertFalse(ownModule.getMessage().contains("--runtime cpython"), ownModule.getMessage());
      assertEquals(0, backend.stats().restarts(), "an import error cost the worker");

      Throwable exit = failure(send(backend, "[[\"exit\",4]]"), Duration.ofSeconds(60));
      assertInstanceOf(WorkerCrashedException.class, exit);
      assertTrue(exit.getMessage().endsWith("the model exited (status 4)"), exit.getMessage());
    }
  }

  @Test
  void anExitDuringInitSaysSo() throws Exception {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.testModel("spin"));
        ModelBackend backend =
            ModelBackends.create(
                artifact,
                options(Duration.ofSeconds(30), 1)
                    .environment(Map.of("ODAHU_TEST_EXIT", "5"))
                    .build())) {
      ExecutionException error =
          assertThrows(
              ExecutionException.class,
              () -> backend.start().toCompletableFuture().get(120, TimeUnit.SECONDS));
      assertInstanceOf(ModelStartupException.class, error.getCause());
      assertEquals(
          "GraalPy failed to load the model: the model exited (status 5)",
          error.getCause().getMessage());
    }
  }
}
