package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.InterpreterNotFoundException;
import org.odahu.pack.gppi.MissingModuleException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.RuntimeNotInstalledException;
import org.odahu.pack.gppi.UnknownRuntimeException;

/** The command-line hints added to the model libraries' typed failures. */
class ErrorHandlerTest {

  @Test
  void typedStartupFailuresGetTheFlagThatFixesThem() {
    assertEquals(
        "install Python 3 with the model's dependencies, or choose an interpreter"
            + " (--python, ODAHU_PYTHON).",
        ErrorHandler.hint(
            new CompletionException(
                new InterpreterNotFoundException(Path.of("/nope"), "No such file", null))));
    assertEquals(
        "choose --runtime cpython or graalpy.",
        ErrorHandler.hint(new UnknownRuntimeException("pypy", List.of("cpython", "graalpy"))));
    assertEquals(
        "odahu-pack's lib/graalpy directory holds it; or use --runtime cpython.",
        ErrorHandler.hint(new RuntimeNotInstalledException("graalpy", "gppi-graalpy")));
    assertEquals(
        "serve this model with the CPython runtime (--runtime cpython).",
        ErrorHandler.hint(
            new MissingModuleException("no numpy", "", "numpy", BackendOptions.GRAALPY)));
    assertEquals(
        "install them there, or pick an interpreter that has them (--python).",
        ErrorHandler.hint(
            new MissingModuleException("no numpy", "", "numpy", BackendOptions.CPYTHON)));
    assertNull(ErrorHandler.hint(new ModelStartupException("init() raised", "")));
  }
}
