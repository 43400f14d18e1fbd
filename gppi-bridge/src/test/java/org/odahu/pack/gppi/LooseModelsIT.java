package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.odahu.pack.gppi.BackendTests.await;
import static org.odahu.pack.gppi.BackendTests.options;
import static org.odahu.pack.gppi.BackendTests.utf8;
import static org.odahu.pack.gppi.BackendTests.with;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.testing.Inputs;

/**
 * Models that return what ODAHU's server accepts though the GPPI documents otherwise (the {@code
 * sloppy} test model): we accept them too.
 */
class LooseModelsIT {
  private static BackendOptions columns(String kind) {
    return options().environment(Map.of("ODAHU_TEST_COLUMNS", kind)).build();
  }

  @Test
  void aStringAsColumnsIsWrittenAsTheModelReturnedIt() throws Exception {
    // (prediction, 'doubled'), a typo for a 1-tuple: ODAHU's orjson writes the string.
    with(
        Examples.testModel("sloppy"),
        columns("str"),
        backend -> {
          PredictionInput input = PredictionInput.fromJson(null, "[[1.5]]");
          assertEquals(
              "{\"prediction\":[[3.0]],\"columns\":\"doubled\"}",
              Inputs.answer(await(backend.predict(input))));
          Prediction cli = await(backend.predict(input, OutputStyle.PYTHON));
          assertEquals("\"doubled\"", utf8(cli.columnsJson()));
        });
  }

  @Test
  void columnsAsAPandasIndexOrAnArrayAreAList() throws Exception {
    for (String kind : List.of("index", "array")) {
      with(
          Examples.testModel("sloppy"),
          columns(kind),
          backend ->
              assertEquals(
                  "{\"prediction\":[[3.0]],\"columns\":[\"doubled\"]}",
                  Inputs.answer(
                      await(backend.predict(PredictionInput.fromJson(null, "[[1.5]]"))))));
    }
  }

  @Test
  void theSelfCheckAcceptsColumnsAsAPandasIndexOrAnArray() throws Exception {
    // ODAHU's self_check ignores what predict_on_matrix returns; its truth value is ambiguous.
    for (String kind : List.of("index", "array")) {
      with(
          Examples.testModel("sloppy"),
          columns(kind),
          backend ->
              assertEquals(
                  new SelfCheckReport(1, 1, 3, List.of("doubled")),
                  await(backend.selfCheck()),
                  kind));
    }
  }

  @Test
  void infoWithNumpyDtypesAsTypesAnswers() throws Exception {
    // ODAHU reads only the fields' names and examples; a dtype is no JSON.
    with(
        Examples.testModel("sloppy"),
        options().build(),
        backend -> {
          ModelSchema schema = await(backend.info());
          assertEquals("x", schema.input().get(0).name());
          assertEquals("float64", schema.input().get(0).type());
          assertEquals(0.0, schema.input().get(0).example().asDouble());
          assertEquals("doubled", schema.output().get(0).name());
          assertEquals(
              new SelfCheckReport(1, 1, 3, List.of("doubled")), await(backend.selfCheck()));
        });
  }
}
