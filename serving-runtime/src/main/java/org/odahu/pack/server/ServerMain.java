package org.odahu.pack.server;

import org.odahu.pack.commandline.Executables;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import picocli.CommandLine;

/** The entry point of docker-rest images: {@code serve} as the whole command line. */
public final class ServerMain {
  private ServerMain() {}

  /**
   * Runs {@link ServeCommand} and exits with its status; {@code $TMPDIR}, when set, is where
   * temporary files go. The model's first Python worker may start before the command line is parsed
   * (see {@link StartupWarmup}).
   */
  public static void main(String[] args) {
    Executables.prepare(System.getenv());
    EarlyWorker earlyWorker = new EarlyWorker();
    StartupWarmup.start(args, System.getenv(), earlyWorker);
    // The launcher's `odahu-pack serve` names itself so in usage errors; an image's entry point is
    // `serve`.
    CommandLine serve =
        new CommandLine(new ServeCommand(null, earlyWorker))
            .setCommandName(System.getProperty("odahu.serve.command", "serve"));
    Executables.main(Executables.withEdge(serve), args);
  }
}
