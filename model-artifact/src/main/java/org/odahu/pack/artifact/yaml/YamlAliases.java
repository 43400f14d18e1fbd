package org.odahu.pack.artifact.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.function.Function;

/**
 * Jackson's YAML reader gives an alias ({@code *name}) as its anchor's name, a string, where
 * Python's {@code yaml.safe_load} gives the anchored value: a manifest's {@code version: *n} would
 * become the version {@code n}, a dependency file's {@code - *numpy} a package of that name. The
 * files odahu-pack reads have no use for aliases (ODAHU writes none), so they are refused.
 */
public final class YamlAliases {
  private YamlAliases() {}

  /**
   * An alias and the line it is on, counted from 1.
   *
   * @param line the line
   * @param name the anchor it names
   */
  public record Alias(int line, String name) {
    /** What is wrong, without the line: {@code YAML aliases (*n) are not read; ...}. */
    public String problem() {
      return "YAML aliases (*" + name + ") are not read; write the value itself";
    }
  }

  /**
   * Reads {@code yaml} (a YAML parser, closed here) to its end, and throws what {@code refusal}
   * makes of its first alias.
   *
   * @throws IOException if the text is not YAML
   */
  public static void refuse(JsonParser yaml, Function<Alias, ? extends RuntimeException> refusal)
      throws IOException {
    try (YAMLParser parser = (YAMLParser) yaml) {
      while (parser.nextToken() != null) {
        if (parser.isCurrentAlias()) {
          throw refusal.apply(new Alias(parser.currentLocation().getLineNr(), parser.getText()));
        }
      }
    }
  }
}
