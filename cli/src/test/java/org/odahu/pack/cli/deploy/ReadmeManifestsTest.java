package org.odahu.pack.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The manifests the README shows are what {@code deploy manifests} prints: each YAML block after a
 * {@code <!-- output of: odahu-pack deploy manifests ... -->} line is the output of that command.
 * Run with {@code -Dreadme.update=true} to rewrite the blocks after changing the manifests.
 */
class ReadmeManifestsTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern BLOCK =
      Pattern.compile(
          "<!-- output of: odahu-pack (deploy manifests [^>]*?) -->\n```yaml\n(.*?)```\n",
          Pattern.DOTALL);

  @Test
  void everyManifestShownInTheReadmeIsWhatTheCommandPrints() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    Matcher blocks = BLOCK.matcher(readme);
    StringBuilder updated = new StringBuilder();
    List<String> commands = new ArrayList<>();
    while (blocks.find()) {
      String command = blocks.group(1);
      commands.add(command);
      DeployManifestsTest.Run run = DeployManifestsTest.odahuPack(command.strip().split(" +"));
      assertEquals(0, run.status(), run.err());
      if (Boolean.getBoolean("readme.update")) {
        blocks.appendReplacement(
            updated,
            Matcher.quoteReplacement(
                "<!-- output of: odahu-pack " + command + " -->\n```yaml\n" + run.out() + "```\n"));
      } else {
        assertEquals(
            run.out(),
            blocks.group(2),
            "README's block for `odahu-pack "
                + command
                + "` differs from the command's output; rerun this test with -Dreadme.update=true");
      }
    }
    assertFalse(commands.isEmpty(), "README shows no manifests marked as generated");
    if (Boolean.getBoolean("readme.update")) {
      blocks.appendTail(updated);
      Files.writeString(README, updated.toString(), StandardCharsets.UTF_8);
    }
  }
}
