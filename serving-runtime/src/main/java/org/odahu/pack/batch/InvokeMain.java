package org.odahu.pack.batch;

import org.odahu.pack.commandline.Executables;
import picocli.CommandLine;

/** The entry point of docker-cli images: {@code invoke}. */
public final class InvokeMain {
  private InvokeMain() {}

  /**
   * Runs {@link InvokeCommand} and exits with its status; {@code $TMPDIR}, when set, is where
   * temporary files go. The model's Python worker may start before the command line is parsed
   * ({@link InvokeEarlyWorker}).
   */
  public static void main(String[] args) {
    Executables.prepare(System.getenv());
    InvokeCommand command = new InvokeCommand(InvokeEarlyWorker.start(args, System.getenv()));
    Executables.main(Executables.withEdge(new CommandLine(command)), args);
  }
}
