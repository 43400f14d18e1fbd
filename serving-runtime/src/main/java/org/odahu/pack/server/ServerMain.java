package org.odahu.pack.server;

import org.odahu.pack.commandline.Executables;
import picocli.CommandLine;

/** The entry point of docker-rest images: {@code serve} as the whole command line. */
public final class ServerMain {
  private ServerMain() {}

  /** Runs {@link ServeCommand} and exits with its status. */
  public static void main(String[] args) {
    Executables.main(Executables.withEdge(new CommandLine(new ServeCommand())), args);
  }
}
