package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.BackendTests.await;
import static org.odahu.pack.gppi.BackendTests.failure;
import static org.odahu.pack.gppi.BackendTests.options;
import static org.odahu.pack.gppi.BackendTests.with;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.testing.Inputs;

/**
 * Models written for ODAHU's REST server, which imports {@code odahuflow_model.entrypoint}, run as
 * well as those written for its CLI invoker, which imports the entrypoint by its name.
 */
class ImportStylesIT {
  private static String answer(ModelBackend backend) {
    return Inputs.answer(await(backend.predict(PredictionInput.fromJson(null, "[[1]]"))));
  }

  @Test
  void aModelImportingItsOwnModulesThroughOdahuflowModelRuns() throws Exception {
    // Still imported by its name, as ODAHU's CLI invoker does: pickles may name that module.
    with(
        Examples.testModel("restimport"),
        options().build(),
        backend ->
            assertEquals("{\"prediction\":[[42]],\"columns\":[\"entrypoint\"]}", answer(backend)));
  }

  @Test
  void aModelImportingItsOwnModulesRelativelyRunsAsOdahuflowModelEntrypoint() throws Exception {
    with(
        Examples.testModel("relimport"),
        options().build(),
        backend ->
            assertEquals(
                "{\"prediction\":[[42]],\"columns\":[\"odahuflow_model.entrypoint\"]}",
                answer(backend)));
  }

  @Test
  void aMissingModuleOfTheModelItselfGetsNoDependencyHint() throws Exception {
    BackendOptions options = options().environment(Map.of("ODAHU_TEST_IMPORT", "missing")).build();
    try (ModelArtifact opened = ModelArtifact.open(Examples.testModel("restimport"));
        ModelBackend backend = ModelBackends.create(opened, options)) {
      Throwable failure = failure(backend.start());
      ModelStartupException e = assertInstanceOf(ModelStartupException.class, failure);
      assertFalse(e instanceof MissingModuleException, e.getMessage());
      assertTrue(
          e.getMessage().contains("ModuleNotFoundError: No module named 'odahuflow_model.nothere'"),
          e.getMessage());
      assertTrue(e.getMessage().contains("a module of the model itself"), e.getMessage());
      assertFalse(e.getMessage().contains("dependencies must be installed"), e.getMessage());
    }
  }
}
