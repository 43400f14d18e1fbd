package org.odahu.pack.packager.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.packager.PackagingException;

/**
 * ODAHU's {@code imageName} templates, which ODAHU renders with Jinja2 and then lower-cases. The
 * part of Jinja that names an image is supported: {@code {{ Name }}}, {@code {{ Version }}} and
 * {@code {{ RandomUUID }}} with any spacing, the filters {@code lower}, {@code upper} and {@code
 * trim} ({@code {{ Name|lower }}}), whitespace control (<code>&#123;&#123;-</code> and {@code -}}}
 * strip the template's whitespace before and after the tag) and Jinja's dropping of one trailing
 * newline (a YAML {@code >} or {@code |} block ends with one). Unknown names render empty, as in
 * Jinja. Any other tag, statement or comment is refused when the template is parsed, naming it,
 * rather than copied into an image reference that fails once the base image and dependencies are
 * resolved.
 */
public final class ImageNameTemplate {
  /** ODAHU's default template. */
  public static final String DEFAULT = "{{ Name }}-{{ Version }}:{{ RandomUUID }}";

  /** Where a Jinja tag, statement or comment starts. */
  private static final Pattern OPENING = Pattern.compile("\\{[{%#]");

  /** A supported tag: a name, filters, whitespace control. */
  private static final Pattern TAG =
      Pattern.compile(
          "\\{\\{(-?)\\s*([A-Za-z_][A-Za-z0-9_]*)((?:\\s*\\|\\s*[A-Za-z_][A-Za-z0-9_]*)*)\\s*(-?)}}");

  private static final Pattern FILTER = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");

  private static final Map<String, UnaryOperator<String>> FILTERS =
      Map.of(
          "lower", s -> s.toLowerCase(Locale.ROOT),
          "upper", s -> s.toUpperCase(Locale.ROOT),
          "trim", String::strip);

  /** Jinja's trailing newline: one {@code \r\n}, {@code \r} or {@code \n}. */
  private static final Pattern TRAILING_NEWLINE = Pattern.compile("(\\r\\n|\\r|\\n)\\z");

  /** What the template is made of, in order: text as it is, or a variable with its filters. */
  private sealed interface Part {}

  private record Text(String text) implements Part {}

  private record Variable(String name, List<UnaryOperator<String>> filters) implements Part {}

  private final List<Part> parts;

  private ImageNameTemplate(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /**
   * Parses {@code template}.
   *
   * @throws PackagingException naming the imageName argument and the first expression odahu-pack
   *     does not render
   */
  public static ImageNameTemplate parse(String template) {
    String source = TRAILING_NEWLINE.matcher(template).replaceFirst("");
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    boolean stripLeading = false;
    int position = 0;
    Matcher opening = OPENING.matcher(source);
    while (opening.find(position)) {
      text.append(source, position, opening.start());
      Matcher tag = TAG.matcher(source).region(opening.start(), source.length());
      if (!tag.lookingAt()) {
        throw unsupported(template, source, opening.start());
      }
      List<UnaryOperator<String>> filters = new ArrayList<>();
      Matcher filter = FILTER.matcher(tag.group(3));
      while (filter.find()) {
        UnaryOperator<String> known = FILTERS.get(filter.group(1));
        if (known == null) {
          throw unsupported(template, source, opening.start());
        }
        filters.add(known);
      }
      parts.add(new Text(strip(text.toString(), stripLeading, !tag.group(1).isEmpty())));
      parts.add(new Variable(tag.group(2), filters));
      text.setLength(0);
      stripLeading = !tag.group(4).isEmpty();
      position = tag.end();
    }
    text.append(source, position, source.length());
    parts.add(new Text(strip(text.toString(), stripLeading, false)));
    return new ImageNameTemplate(parts);
  }

  /**
   * Renders {@code template}, lower-cased as ODAHU does; {@code uuid} is asked only when the
   * template uses it, and once: every {@code {{ RandomUUID }}} of one rendering is the same value,
   * as in ODAHU's rendering.
   *
   * @throws PackagingException if the template holds what odahu-pack does not render
   */
  public static String render(String template, String name, String version, Supplier<String> uuid) {
    return parse(template).render(name, version, uuid);
  }

  /** Renders this template; see {@link #render(String, String, String, Supplier)}. */
  public String render(String name, String version, Supplier<String> uuid) {
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
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      switch (part) {
        case Text text -> out.append(text.text());
        case Variable variable -> {
          Supplier<String> value = values.get(variable.name());
          String rendered = value == null ? "" : value.get();
          for (UnaryOperator<String> filter : variable.filters()) {
            rendered = filter.apply(rendered);
          }
          out.append(rendered);
        }
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * Jinja's whitespace control: {@code -}}} strips what follows, <code>&#123;&#123;-</code> what
   * precedes.
   */
  private static String strip(String text, boolean leading, boolean trailing) {
    String stripped = leading ? text.stripLeading() : text;
    return trailing ? stripped.stripTrailing() : stripped;
  }

  private static PackagingException unsupported(String template, String source, int start) {
    String close =
        switch (source.charAt(start + 1)) {
          case '%' -> "%}";
          case '#' -> "#}";
          default -> "}}";
        };
    int end = source.indexOf(close, start + 2);
    String expression = end < 0 ? source.substring(start) : source.substring(start, end + 2);
    return new PackagingException(
        "The imageName argument '"
            + template.strip()
            + "' holds "
            + expression
            + ", which odahu-pack does not render: it renders {{ Name }}, {{ Version }} and"
            + " {{ RandomUUID }}, with the filters lower, upper and trim and Jinja's whitespace"
            + " control ({{- and -}}), and nothing else of Jinja");
  }
}
