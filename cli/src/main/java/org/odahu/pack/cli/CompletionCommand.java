package org.odahu.pack.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code completion bash|zsh}: a completion script for the shell. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a shell completion script.",
      "bash: source <(odahu-pack completion bash)",
      "zsh:  source <(odahu-pack completion zsh)"
    })
final class CompletionCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
  String shell;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new IllegalArgumentException("completion supports bash and zsh, not " + shell);
    }
    String script = AutoComplete.bash("odahu-pack", spec.root().commandLine());
    var out = spec.commandLine().getOut();
    if (shell.equals("zsh")) {
      out.println("autoload -U +X compinit && compinit");
      out.println("autoload -U +X bashcompinit && bashcompinit");
    }
    out.print(script);
    out.flush();
    return 0;
  }
}
