package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.BackendTests.failure;
import static org.odahu.pack.gppi.BackendTests.options;
import static org.odahu.pack.gppi.BackendTests.send;
import static org.odahu.pack.gppi.BackendTests.waitUntil;
import static org.odahu.pack.gppi.BackendTests.workerProcesses;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.pool.WorkerPool;
import org.odahu.pack.gppi.testing.CapturedLog;

/**
 * Models that cannot start with CPython workers: clear errors, hints and restarts with back-off.
 */
class ModelStartupIT {
  @TempDir Path temp;

  private static ModelStartupException startupFailure(Path artifact, BackendOptions options) {
    try (ModelArtifact opened = ModelArtifact.open(artifact);
        ModelBackend backend = ModelBackends.create(opened, options)) {
      Throwable failure = failure(backend.start());
      assertFalse(backend.isReady());
      ModelStartupException startup = assertInstanceOf(ModelStartupException.class, failure);
      assertEquals(startup.shown(), backend.notReadyReason().orElseThrow());
      Throwable refused = failure(send(backend, "{\"data\":[[1]]}"));
      assertEquals(
          "The model is not ready: " + startup.shown(),
          assertInstanceOf(BackendNotReadyException.class, refused).getMessage());
      return startup;
    }
  }

  @Test
  void missingDependencyGivesTheErrorAndAHint() {
    ModelStartupException e = startupFailure(Examples.testModel("badimport"), options().build());
    assertTrue(
        e.getMessage().contains("while importing the entrypoint module 'entrypoint'"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("ModuleNotFoundError: No module named 'odahu_missing_dependency'"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains(". The model's dependencies must be installed"), e.getMessage());
    assertTrue(e.getMessage().contains("odahuflow_model/conda.yaml"), e.getMessage());
    assertTrue(e.pythonTraceback().contains("Traceback"), e.pythonTraceback());
    MissingModuleException missing = assertInstanceOf(MissingModuleException.class, e);
    assertEquals("odahu_missing_dependency", missing.module());
    assertEquals(BackendOptions.CPYTHON, missing.runtime());
  }

  @Test
  void failingInitIsRetriedWithBackOffNotInABusyLoop() throws Exception {
    Path log = temp.resolve("starts.log");
    BackendOptions options =
        options().environment(Map.of("ODAHU_TEST_START_LOG", log.toString())).build();
    try (ModelArtifact opened = ModelArtifact.open(Examples.testModel("badinit"));
        ModelBackend backend = ModelBackends.create(opened, options)) {
      Throwable failure = failure(backend.start());
      assertEquals(
          "The model failed to start while running init() of the entrypoint module 'entrypoint':"
              + " ValueError: cannot load weights",
          failure.getMessage());
      Thread.sleep(3000);
      long starts = Files.readAllLines(log).size();
      // 100 ms, 200, 400, 800, 1600 ms between attempts: a handful in 3 s, not hundreds.
      assertTrue(starts >= 2 && starts <= 8, "worker started " + starts + " times in 3 s");
      assertFalse(backend.isReady());
      // What a server's clients see says what failed, not what the model's error said (its text
      // may quote anything, a URL with its token): that goes to the log.
      assertEquals(
          "The model failed to start while running init() of the entrypoint module 'entrypoint':"
              + " ValueError; the log has the details",
          backend.notReadyReason().orElseThrow());
    }
  }

  @Test
  void objectsModeIsRefusedClearly() {
    assertTrue(
        startupFailure(Examples.testModel("objects"), options().build())
            .getMessage()
            .contains("init() returned 'objects': only the 'matrix' prediction mode is supported"));
  }

  @Test
  void slowInitHitsTheStartTimeout() {
    assertEquals(
        "The model did not finish importing and init() within 2 s (--start-timeout); worker-1 (pid ",
        startupFailure(
                Examples.testModel("slowinit"),
                options().startTimeout(Duration.ofSeconds(2)).build())
            .getMessage()
            .replaceAll("pid \\d+\\) was killed", "pid "));
  }

  @Test
  void closingDoesNotWaitForAWorkerStillStarting() throws Exception {
    try (ModelArtifact opened = ModelArtifact.open(Examples.testModel("slowinit"))) {
      ModelBackend backend = ModelBackends.create(opened, options().build());
      CompletionStage<Void> started = backend.start();
      waitUntil(
          () -> !workerProcesses().isEmpty(), Duration.ofSeconds(10), "no worker was spawned");
      List<ProcessHandle> workers = workerProcesses();
      long start = System.nanoTime();
      backend.close(); // init() sleeps 60 s; the start timeout is 300 s
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertTrue(seconds < 10, "closing took " + seconds + " s");
      for (ProcessHandle worker : workers) {
        worker.onExit().get(5, TimeUnit.SECONDS);
      }
      assertInstanceOf(BackendNotReadyException.class, failure(started));
    }
  }

  @Test
  void aMissingInterpreterIsAConfigurationErrorNotRetried() throws Exception {
    Path python = Path.of("/nonexistent/python3");
    try (CapturedLog log = CapturedLog.of(WorkerPool.class.getName())) {
      InterpreterNotFoundException e =
          assertInstanceOf(
              InterpreterNotFoundException.class,
              startupFailure(Examples.artifact("simple"), options().python(python).build()));
      assertEquals(
          "The Python interpreter /nonexistent/python3 cannot be run: No such file or directory",
          e.getMessage());
      assertEquals(python, e.interpreter());
      assertEquals(List.of(), log.messages());
    }
  }

  /**
   * A bare name is looked up on PATH by the exec, whose ENOENT would read as a missing path: it
   * says so in words, as serve's check before binding does (predict and info start workers here).
   */
  @Test
  void aBareNameNotOnPathSaysSo() throws Exception {
    Path python = Path.of("no-such-python9");
    InterpreterNotFoundException e =
        assertInstanceOf(
            InterpreterNotFoundException.class,
            startupFailure(Examples.artifact("simple"), options().python(python).build()));
    assertEquals(
        "The Python interpreter no-such-python9 cannot be run: not found in any directory of PATH",
        e.getMessage());
  }

  @Test
  void aWrapperThatPrintsToStandardOutputIsToldWhereToPrint() throws Exception {
    Path python =
        Files.writeString(
            temp.resolve("python-wrapper"),
            "#!/bin/sh\necho activating environment\nexec " + Examples.python() + " \"$@\"\n");
    Files.setPosixFilePermissions(
        python, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    ModelStartupException e =
        startupFailure(Examples.artifact("simple"), options().python(python).build());
    assertTrue(
        e.getMessage()
            .contains(
                "it wrote text to the worker's protocol pipe (\"activ…\"): a --python wrapper"
                    + " script must print to standard error, not standard output"),
        e.getMessage());
  }

  @Test
  void aFileThatIsNotExecutableIsNoInterpreter() throws Exception {
    Path python = Files.writeString(temp.resolve("python3"), "not a program");
    InterpreterNotFoundException e =
        assertInstanceOf(
            InterpreterNotFoundException.class,
            startupFailure(Examples.artifact("simple"), options().python(python).build()));
    assertEquals("Permission denied", e.reason());
  }

  @Test
  void importErrorInInitSaysWhereTheDependenciesMustBe() {
    // ODAHU's mlflow_gppi_lib_missed: the MLflow wrapper imports mlflow in init(), not at the top.
    ModelStartupException e = startupFailure(Examples.testModel("initimport"), options().build());
    assertEquals(
        "The model failed to start while running init() of the entrypoint module 'entrypoint':"
            + " ModuleNotFoundError: No module named 'odahu_missing_library'. The model's"
            + " dependencies must be installed in the Python that runs it ("
            + Examples.python()
            + "); the artifact lists them in odahuflow_model/conda.yaml.",
        e.getMessage());
    assertEquals("odahu_missing_library", ((MissingModuleException) e).module());
  }

  @Test
  void restartBackOffStopsGrowingAtItsCap() throws Exception {
    // Uncapped, the 12th attempt would wait for 100 ms + 200 ms + ... + 102 s = 205 s of back-off.
    BackendOptions options = options().maxRestartDelay(Duration.ofMillis(200)).build();
    try (CapturedLog log = CapturedLog.of(WorkerPool.class.getName());
        ModelArtifact opened = ModelArtifact.open(Examples.testModel("badinit"));
        ModelBackend backend = ModelBackends.create(opened, options)) {
      failure(backend.start());
      log.await(m -> m.contains("still cannot start (attempt 12)"), Duration.ofSeconds(30));
      assertFalse(backend.isReady());
    }
  }
}
