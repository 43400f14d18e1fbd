package org.odahu.pack.pydeps.declare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;

/**
 * The YAML reader gives an alias ({@code - *numpy}) as its anchor's name, which a dependency file
 * would read as a package of that name: refused, as these files have no use for them.
 */
final class YamlAliases {
  private YamlAliases() {}

  /**
   * @throws DeclarationException at the first alias of {@code text}, read with {@code yaml}
   * @throws IOException if {@code text} is not YAML
   */
  static void refuse(ObjectMapper yaml, String text, String path) throws IOException {
    try (YAMLParser parser = (YAMLParser) yaml.getFactory().createParser(text)) {
      while (parser.nextToken() != null) {
        if (parser.isCurrentAlias()) {
          throw new DeclarationException(
              path
                  + ":"
                  + parser.currentLocation().getLineNr()
                  + ": YAML aliases (*"
                  + parser.getText()
                  + ") are not read; write the value itself");
        }
      }
    }
  }
}
