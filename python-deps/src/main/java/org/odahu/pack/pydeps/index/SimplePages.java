package org.odahu.pack.pydeps.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the links of a PEP 503 simple page (HTML anchors with {@code #sha256=} fragments and {@code
 * data-requires-python}, {@code data-yanked}, {@code data-core-metadata}) or of a PEP 691 JSON
 * page.
 */
final class SimplePages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ATTRIBUTE =
      Pattern.compile(
          "([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'=<>`]+)))?");
  private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);");
  private static final Map<String, String> ENTITIES =
      Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'");

  private SimplePages() {}

  /** The links of an HTML page at {@code page}. */
  static List<DistributionLink> html(String text, URI page, SourceLocation source) {
    String html = withoutComments(text);
    String baseHref =
        tags(html, "base").stream()
            .map(a -> attributes(a).get("href"))
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    URI baseUri = baseHref != null ? resolve(page, page, baseHref).orElse(page) : page;
    List<DistributionLink> links = new ArrayList<>();
    for (String anchor : tags(html, "a")) {
      Map<String, String> attributes = attributes(anchor);
      String href = attributes.get("href");
      if (href == null || href.isBlank()) {
        continue;
      }
      Optional<URI> url = resolve(page, baseUri, href.strip().replace(" ", "%20"));
      if (url.isEmpty()) {
        continue;
      }
      String metadata =
          attributes.getOrDefault("data-core-metadata", attributes.get("data-dist-info-metadata"));
      links.add(
          link(
              url.get(),
              attributes.getOrDefault("data-requires-python", ""),
              Optional.ofNullable(attributes.get("data-yanked")),
              metadata != null && !metadata.equalsIgnoreCase("false"),
              metadata != null && metadata.startsWith("sha256=")
                  ? Optional.of(metadata.substring(7))
                  : Optional.empty(),
              Optional.empty(),
              source));
    }
    return links.stream().filter(l -> DistributionLink.isPlainName(l.filename())).toList();
  }

  /**
   * The attribute text of each {@code <name ...>} tag of {@code html}, in order, read as an HTML
   * parser reads a tag: a quoted value may hold {@code >}. One pass, whatever the page holds: a tag
   * that never closes ends the reading.
   */
  static List<String> tags(String html, String name) {
    List<String> tags = new ArrayList<>();
    int at = html.indexOf('<');
    while (at >= 0) {
      int after = at + 1 + name.length();
      if (after < html.length()
          && html.regionMatches(true, at + 1, name, 0, name.length())
          && Character.isWhitespace(html.charAt(after))) {
        int end = tagEnd(html, after);
        if (end < 0) {
          break;
        }
        tags.add(html.substring(after + 1, end));
        at = html.indexOf('<', end);
      } else {
        at = html.indexOf('<', at + 1);
      }
    }
    return tags;
  }

  /** Where the tag whose attributes start at {@code from} ends ({@code >}), or -1. */
  private static int tagEnd(String html, int from) {
    for (int i = from; i < html.length(); i++) {
      char c = html.charAt(i);
      if (c == '>') {
        return i;
      }
      if (c == '"' || c == '\'') {
        i = html.indexOf(c, i + 1);
        if (i < 0) {
          return -1;
        }
      }
    }
    return -1;
  }

  /**
   * {@code html} without its comments, whose links pip's HTML parser does not see; an unclosed one
   * runs to the end. One pass: a page of many {@code <!--} cannot make it quadratic.
   */
  static String withoutComments(String html) {
    StringBuilder out = new StringBuilder(html.length());
    int from = 0;
    for (int open = html.indexOf("<!--"); open >= 0; open = html.indexOf("<!--", from)) {
      out.append(html, from, open).append(' ');
      int close = html.indexOf("-->", open + 4);
      if (close < 0) {
        return out.toString();
      }
      from = close + 3;
    }
    return out.append(html, from, html.length()).toString();
  }

  /** The links of a PEP 691 JSON page at {@code page}. */
  static List<DistributionLink> json(String json, URI page, SourceLocation source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new PackageSourceException(page + " is not a valid PEP 691 JSON page");
    }
    List<DistributionLink> links = new ArrayList<>();
    for (JsonNode file : root.path("files")) {
      Optional<URI> url = resolve(page, page, file.path("url").asText());
      if (url.isEmpty()) {
        continue;
      }
      JsonNode yanked = file.path("yanked");
      JsonNode metadata =
          file.has("core-metadata") ? file.get("core-metadata") : file.path("dist-info-metadata");
      links.add(
          link(
              url.get(),
              file.path("requires-python").asText(""),
              yanked.isTextual()
                  ? Optional.of(yanked.asText())
                  : yanked.asBoolean(false) ? Optional.of("") : Optional.empty(),
              metadata.isObject() || metadata.asBoolean(false),
              Optional.ofNullable(metadata.path("sha256").textValue()),
              Optional.ofNullable(file.path("hashes").path("sha256").textValue()),
              source));
    }
    return links.stream().filter(l -> DistributionLink.isPlainName(l.filename())).toList();
  }

  /**
   * {@code reference} resolved against {@code base}; empty when it is no URI (a page's one bad link
   * is skipped, not fatal) or when a page served over HTTP(S) points off HTTP(S) (a remote page
   * must not make the packaging machine read its own files, {@code file:}).
   */
  private static Optional<URI> resolve(URI page, URI base, String reference) {
    URI url;
    try {
      url = base.resolve(reference);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    boolean remote = isHttp(page.getScheme());
    boolean fetchable = isHttp(url.getScheme()) ? url.getHost() != null : !remote;
    return fetchable ? Optional.of(url) : Optional.empty();
  }

  static boolean isHttp(String scheme) {
    return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
  }

  private static DistributionLink link(
      URI url,
      String requiresPython,
      Optional<String> yanked,
      boolean metadata,
      Optional<String> metadataSha256,
      Optional<String> sha256,
      SourceLocation source) {
    Optional<String> digest = sha256;
    String fragment = url.getRawFragment();
    if (digest.isEmpty() && fragment != null && fragment.startsWith("sha256=")) {
      digest = Optional.of(fragment.substring(7).toLowerCase(Locale.ROOT));
    }
    URI clean = URI.create(url.toString().replaceAll("#.*$", ""));
    String path = clean.getRawPath() == null ? "" : clean.getRawPath();
    String filename =
        URLDecoder.decode(
            path.substring(path.lastIndexOf('/') + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
    return new DistributionLink(
        filename,
        clean,
        digest.map(d -> d.toLowerCase(Locale.ROOT)),
        requiresPython,
        yanked,
        metadata,
        metadataSha256,
        source);
  }

  private static Map<String, String> attributes(String text) {
    Map<String, String> attributes = new HashMap<>();
    Matcher m = ATTRIBUTE.matcher(text);
    while (m.find()) {
      String value =
          m.group(2) != null
              ? m.group(2)
              : m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : "";
      attributes.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), unescape(value));
    }
    return attributes;
  }

  static String unescape(String text) {
    Matcher m = ENTITY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String entity = m.group(1);
      String replacement = ENTITIES.getOrDefault(entity.toLowerCase(Locale.ROOT), m.group());
      try {
        if (entity.startsWith("#x") || entity.startsWith("#X")) {
          replacement = Character.toString(Integer.parseInt(entity.substring(2), 16));
        } else if (entity.startsWith("#")) {
          replacement = Character.toString(Integer.parseInt(entity.substring(1)));
        }
      } catch (IllegalArgumentException notACharacter) {
        replacement = m.group(); // kept as written
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
