package org.odahu.pack.packager.manifest;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ODAHU's {@code imageName} templates: {@code {{ Name }}}, {@code {{ Version }}} and {@code {{
 * RandomUUID }}} with any spacing; unknown names render empty; the result is lower-cased (some
 * registries refuse upper case).
 */
public final class ImageNameTemplate {
  /** ODAHU's default template. */
  public static final String DEFAULT = "{{ Name }}-{{ Version }}:{{ RandomUUID }}";

  private static final Pattern VARIABLE =
      Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private ImageNameTemplate() {}

  /**
   * Renders {@code template}; {@code uuid} is asked only when the template uses it, and once: every
   * {@code {{ RandomUUID }}} of one rendering is the same value, as in ODAHU's rendering.
   */
  public static String render(String template, String name, String version, Supplier<String> uuid) {
    String[] drawn = new String[1];
    Supplier<String> once =
        () -> {
          if (drawn[0] == null) {
            drawn[0] = uuid.get();
          }
          return drawn[0];
        };
    Map<String, Supplier<String>> values =
        Map.of("Name", () -> name, "Version", () -> version, "RandomUUID", once);
    Matcher matcher = VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      Supplier<String> value = values.get(matcher.group(1));
      matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value.get()));
    }
    matcher.appendTail(out);
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
