package org.odahu.pack.server;

import picocli.CommandLine;

/** The entry point of docker-rest images: {@code serve} as the whole command line. */
public final class ServerMain {
  private ServerMain() {}

  /** Runs {@link ServeCommand} and exits with its status. */
  public static void main(String[] args) {
    Logging.configure(Logging.verboseRequested(args));
    System.exit(ErrorHandler.install(new CommandLine(new ServeCommand())).execute(args));
  }
}
