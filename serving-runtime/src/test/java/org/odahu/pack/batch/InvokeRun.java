package org.odahu.pack.batch;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.commandline.Executables;
import picocli.CommandLine;

/** {@code invoke} (the docker-cli image's entrypoint) run in this JVM: its exit code and output. */
record InvokeRun(int status, String out, String err) {
  /**
   * Runs {@code invoke --python <the tests' interpreter> --model <modelDir> args}, or {@code invoke
   * args} when {@code modelDir} is {@code null}.
   *
   * @param modelDir a model's work directory, e.g. {@code .../wine/odahuflow_model}
   */
  static InvokeRun of(Path modelDir, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Executables.withEdge(new CommandLine(new InvokeCommand()));
    commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    List<String> argv = new ArrayList<>();
    if (modelDir != null) {
      argv.addAll(
          List.of("--python", Examples.python().toString(), "--model", modelDir.toString()));
    }
    argv.addAll(args);
    int status = commandLine.execute(argv.toArray(new String[0]));
    return new InvokeRun(status, out.toString(), err.toString());
  }
}
