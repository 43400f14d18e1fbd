package org.odahu.pack.artifact.yaml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.Optional;

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
   * The first alias of {@code text}, read with {@code yaml}.
   *
   * @throws IOException if {@code text} is not YAML
   */
  public static Optional<Alias> first(JsonFactory yaml, String text) throws IOException {
    try (YAMLParser parser = (YAMLParser) yaml.createParser(text)) {
      while (parser.nextToken() != null) {
        if (parser.isCurrentAlias()) {
          return Optional.of(new Alias(parser.currentLocation().getLineNr(), parser.getText()));
        }
      }
    }
    return Optional.empty();
  }
}
