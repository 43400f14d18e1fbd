package org.odahu.pack.gppi.graalpy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.MissingModuleException;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelBackends;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.SelfCheckReport;
import org.odahu.pack.gppi.testing.Inputs;

/** The in-process GraalPy runtime with the pure-Python examples, side by side with CPython. */
class GraalPyBackendIT {
  private static final String PURE_REQUEST =
      "{\"columns\":[\"x3\",\"x1\",\"x2\"],\"data\":[[3,1,2],[0,0,0],[1.5,-2,4]]}";

  private static BackendOptions.Builder options(String runtime) {
    return BackendOptions.builder()
        .runtime(runtime)
        .python(Examples.python())
        .timeout(Duration.ofSeconds(30));
  }

  private static String predict(ModelBackend backend, String request) throws Exception {
    Prediction prediction =
        backend.predict(Inputs.body(request)).toCompletableFuture().get(60, TimeUnit.SECONDS);
    return Inputs.answer(prediction);
  }

  private static String runPure(String runtime) throws Exception {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.gzipTarball("pure"));
        ModelBackend backend = ModelBackends.create(artifact, options(runtime).build())) {
      backend.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
      return predict(backend, PURE_REQUEST);
    }
  }

  @Test
  void pureModelAnswersLikeCPython() throws Exception {
    String graalpy = runPure(BackendOptions.GRAALPY);
    assertEquals("{\"prediction\":[[4.75],[0.75],[-2.25]],\"columns\":[\"y\"]}", graalpy);
    assertEquals(runPure(BackendOptions.CPYTHON), graalpy);
  }

  @Test
  void infoSelfCheckAndModelErrors() throws Exception {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("pure"));
        ModelBackend backend =
            ModelBackends.create(artifact, options(BackendOptions.GRAALPY).workers(2).build())) {
      backend.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
      assertTrue(backend.isReady());
      assertEquals(
          List.of("x1", "x2", "x3"),
          backend.info().toCompletableFuture().get().input().stream().map(f -> f.name()).toList());
      assertEquals(
          new SelfCheckReport(3, 1, -1, List.of()),
          backend.selfCheck().toCompletableFuture().get());
      ExecutionException error =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () ->
                  backend
                      .predict(Inputs.body("{\"columns\":[\"a\",\"b\",\"c\"],\"data\":[[1,2,3]]}"))
                      .toCompletableFuture()
                      .get());
      assertInstanceOf(ModelPredictionException.class, error.getCause());
      assertTrue(
          error.getCause().getMessage().contains("not in list"), error.getCause().getMessage());
      assertEquals(
          "{\"prediction\":[[0.75]],\"columns\":[\"y\"]}",
          predict(backend, "{\"data\":[[0,0,0]]}"));
    }
  }

  @Test
  void numpyModelGetsAClearErrorPointingToCPython() throws Exception {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("simple"));
        ModelBackend backend =
            ModelBackends.create(artifact, options(BackendOptions.GRAALPY).build())) {
      ExecutionException error =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> backend.start().toCompletableFuture().get(120, TimeUnit.SECONDS));
      MissingModuleException missing =
          assertInstanceOf(MissingModuleException.class, error.getCause());
      String message = missing.getMessage();
      assertTrue(message.contains("No module named 'numpy'"), message);
      assertTrue(message.contains("The GraalPy runtime runs pure-Python models only"), message);
      assertEquals("numpy", missing.module());
      assertEquals(BackendOptions.GRAALPY, missing.runtime());
      assertFalse(backend.isReady());
    }
  }

  @Test
  void theModelSeesTheProcessEnvironmentAsUnderCPython() throws Exception {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.testModel("spin"));
        ModelBackend backend =
            ModelBackends.create(
                artifact,
                options(BackendOptions.GRAALPY)
                    .environment(java.util.Map.of("ODAHU_TEST_GIVEN", "given"))
                    .build())) {
      backend.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
      // A model configured by its image's or pod's variables reads them as under CPython.
      assertEquals(
          "{\"prediction\":[[\"" + System.getenv("PATH") + "\"]],\"columns\":[\"value\"]}",
          predict(backend, "{\"data\":[[\"env\",\"PATH\"]]}"));
      assertEquals(
          "{\"prediction\":[[\"given\"]],\"columns\":[\"value\"]}",
          predict(backend, "{\"data\":[[\"env\",\"ODAHU_TEST_GIVEN\"]]}"));
    }
  }

  @Test
  void timeoutCancelsTheContextAndReplacesTheWorker() throws Exception {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.testModel("spin"));
        ModelBackend backend =
            ModelBackends.create(
                artifact, options(BackendOptions.GRAALPY).timeout(Duration.ofSeconds(2)).build())) {
      backend.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
      ExecutionException error =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () ->
                  backend
                      .predict(Inputs.body("{\"data\":[[\"spin\"]]}"))
                      .toCompletableFuture()
                      .get(60, TimeUnit.SECONDS));
      assertInstanceOf(PredictionTimeoutException.class, error.getCause());
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!backend.isReady() || backend.stats().restarts() == 0) {
        assertTrue(System.nanoTime() < until, "worker was not replaced");
        Thread.sleep(50);
      }
      assertEquals(
          "{\"prediction\":[[6]],\"columns\":[\"sum\"]}", predict(backend, "{\"data\":[[1,2,3]]}"));
      // Floats that CPython workers get packed reach GraalPy as JSON text, its only way in.
      assertEquals(
          "{\"prediction\":[[7.0]],\"columns\":[\"sum\"]}",
          predict(backend, "{\"data\":[[1.5,2.5,3.0]]}"));
    }
  }
}
