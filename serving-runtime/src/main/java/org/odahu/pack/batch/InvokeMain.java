package org.odahu.pack.batch;

import org.odahu.pack.commandline.Executables;
import picocli.CommandLine;

/** The entry point of docker-cli images: {@code invoke}. */
public final class InvokeMain {
  private InvokeMain() {}

  /**
   * Runs {@link InvokeCommand} and exits with its status; {@code $TMPDIR}, when set, is where
   * temporary files go.
   */
  public static void main(String[] args) {
    Executables.prepare(System.getenv());
    Executables.main(Executables.withEdge(new CommandLine(new InvokeCommand())), args);
  }
}
