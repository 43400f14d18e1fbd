package org.odahu.pack.pydeps.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Compiles a tiny CPython extension module ({@code fastmath.add(a, b)}) with Debian's gcc and
 * python3-dev headers, for the interpreter the tests run.
 */
public final class CExtension {
  private static final String SOURCE =
      """
      #define PY_SSIZE_T_CLEAN
      #include <Python.h>

      static PyObject *add(PyObject *self, PyObject *args) {
          long a, b;
          if (!PyArg_ParseTuple(args, "ll", &a, &b)) {
              return NULL;
          }
          return PyLong_FromLong(a + b);
      }

      static PyMethodDef methods[] = {
          {"add", add, METH_VARARGS, "Adds two integers in C."},
          {NULL, NULL, 0, NULL}
      };

      static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fastmath", NULL, -1, methods};

      PyMODINIT_FUNC PyInit_fastmath(void) {
          return PyModule_Create(&module);
      }
      """;

  private CExtension() {}

  /**
   * Builds the extension in {@code directory}; returns the shared library, named with the
   * interpreter's suffix ({@code fastmath.cpython-311-x86_64-linux-gnu.so}).
   */
  public static Path build(String python, Path directory) throws IOException, InterruptedException {
    List<String> config =
        run(
            List.of(
                python,
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['include']); print(sysconfig.get_config_var('EXT_SUFFIX'))"),
            directory);
    Path source = directory.resolve("fastmath.c");
    Files.writeString(source, SOURCE);
    Path library = directory.resolve("fastmath" + config.get(1));
    run(
        List.of(
            "gcc",
            "-shared",
            "-fPIC",
            "-O2",
            "-I" + config.get(0),
            source.toString(),
            "-o",
            library.toString()),
        directory);
    return library;
  }

  private static List<String> run(List<String> command, Path directory)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (is python3-dev installed?):\n" + out);
    }
    return List.of(out.strip().split("\n", -1));
  }
}
