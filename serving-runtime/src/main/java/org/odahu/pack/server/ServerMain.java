package org.odahu.pack.server;

import org.odahu.pack.artifact.files.TemporaryFiles;
import org.odahu.pack.commandline.Executables;
import picocli.CommandLine;

/** The entry point of docker-rest images: {@code serve} as the whole command line. */
public final class ServerMain {
  private ServerMain() {}

  /**
   * Runs {@link ServeCommand} and exits with its status; {@code $TMPDIR}, when set, is where
   * temporary files go.
   */
  public static void main(String[] args) {
    // Before anything reads java.io.tmpdir: Netty keeps the value it reads first.
    TemporaryFiles.followTmpdir(System.getenv());
    StartupWarmup.start();
    Executables.main(Executables.withEdge(new CommandLine(new ServeCommand())), args);
  }
}
