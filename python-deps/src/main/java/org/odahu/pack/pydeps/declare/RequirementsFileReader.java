package org.odahu.pack.pydeps.declare;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.common.Redaction;
import org.odahu.pack.pydeps.pep440.SpecifierSet;
import org.odahu.pack.pydeps.pep508.Marker;
import org.odahu.pack.pydeps.pep508.Requirement;
import org.odahu.pack.pydeps.tags.WheelFilename;

/**
 * Reads pip requirements files: PEP 508 lines, wheel paths and URLs, {@code -r}/{@code -c} includes
 * (inside the artifact only), source options and {@code --hash}. {@code ${VAR}} is expanded from
 * the environment given, as pip does, so tokens can stay out of the artifact.
 */
final class RequirementsFileReader {
  // Linear in a line's length, however long its runs of spaces: no quantifier backtracks over
  // another's (a 4 MiB line of spaces took minutes with "(^|\\s+)#").
  private static final Pattern COMMENT = Pattern.compile("(?s)(?:^|\\s)#.*");
  private static final Pattern NAMED_REFERENCE =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*+\\s*+(\\[[^]]*+])?\\s*+(@|[<>=!~;(]|$)");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

  private final ArtifactFiles files;
  private final Map<String, String> environment;
  private final Set<String> visiting = new HashSet<>();
  private final Set<String> done = new HashSet<>();

  RequirementsFileReader(ArtifactFiles files, Map<String, String> environment) {
    this.files = files;
    this.environment = environment;
  }

  /**
   * Reads artifact file {@code path}; its requirements become constraints if {@code asConstraints}.
   */
  DeclaredDependencies readFile(String path, boolean asConstraints, String origin) {
    if (!visiting.add(path)) {
      throw new DeclarationException(origin + ": '" + path + "' includes itself");
    }
    try {
      if (!done.add(path + (asConstraints ? " -c" : ""))) {
        return DeclaredDependencies.NONE; // read already, e.g. by python_env.yaml's -r
      }
      List<String> lines = List.of(files.read(path, origin).split("\r?\n", -1));
      return readLines(lines, path, 1, asConstraints);
    } finally {
      visiting.remove(path);
    }
  }

  /**
   * Reads {@code lines} written in artifact file {@code path} (the {@code pip:} list of a
   * conda.yaml, the {@code dependencies} of a python_env.yaml), the first at line {@code first}.
   */
  DeclaredDependencies readLines(
      List<String> lines, String path, int first, boolean asConstraints) {
    DeclaredDependencies result = DeclaredDependencies.NONE;
    StringBuilder logical = new StringBuilder();
    int start = first;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (logical.isEmpty()) {
        start = first + i;
      }
      if (!logical.isEmpty() && line.stripLeading().startsWith("#")) {
        logical.append(' '); // pip's join_lines: a comment line stays a comment once joined
      }
      if (line.endsWith("\\") && !COMMENT.matcher(line).find()) {
        logical.append(line, 0, line.length() - 1); // joined as pip joins it, with nothing
        continue;
      }
      logical.append(line);
      String text = expand(COMMENT.matcher(logical.toString()).replaceAll("").strip());
      logical.setLength(0);
      if (!text.isEmpty()) {
        result = result.merge(readLine(text, path, path + ":" + start, asConstraints));
      }
    }
    return result;
  }

  private String expand(String line) {
    Matcher m = VARIABLE.matcher(line);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = environment.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private DeclaredDependencies readLine(
      String line, String path, String origin, boolean asConstraints) {
    if (line.startsWith("-")) {
      return option(line, path, origin, asConstraints);
    }
    List<String> hashes = new ArrayList<>();
    String requirementText = line;
    int options = line.indexOf(" --");
    if (options >= 0) {
      requirementText = line.substring(0, options).strip();
      String[] words = line.substring(options).strip().split("\\s+", -1);
      for (int w = 0; w < words.length; w++) {
        String option = words[w];
        if (option.startsWith("--hash=")) {
          hashes.add(hash(option.substring("--hash=".length()), origin));
        } else if (option.equals("--hash") && w + 1 < words.length) {
          hashes.add(hash(words[++w], origin)); // --hash sha256:..., as pip takes it too
        } else if (!option.startsWith("--config-settings")
            && !option.startsWith("--global-option")) {
          throw new DeclarationException(origin + ": unsupported option '" + option + "'");
        }
      }
    }
    DeclaredRequirement requirement =
        new DeclaredRequirement(requirement(requirementText, path, origin), origin, hashes);
    List<DeclaredRequirement> one = List.of(requirement);
    return new DeclaredDependencies(
        asConstraints ? List.of() : one,
        asConstraints ? one : List.of(),
        List.of(),
        List.of(),
        List.of(),
        SourceDeclarations.NONE);
  }

  private static String hash(String value, String origin) {
    String[] parts = value.split(":", 2);
    if (parts.length != 2 || !parts[0].equals("sha256") || !parts[1].matches("[0-9a-fA-F]{64}")) {
      throw new DeclarationException(
          origin + ": --hash must be sha256:<64 hex digits>, got '" + value + "'");
    }
    return parts[1].toLowerCase(Locale.ROOT);
  }

  /** A PEP 508 line, or a wheel's path or URL (which names its project and version). */
  private Requirement requirement(String text, String path, String origin) {
    Matcher reference = NAMED_REFERENCE.matcher(text);
    boolean named = reference.lookingAt();
    boolean direct = named && reference.group(2).equals("@"); // name[extras] @ URL
    FileReference file = direct ? null : FileReference.of(text);
    if (file != null && file.isWheel()) {
      return fileRequirement(file, path, origin);
    }
    if (!named && (text.contains("/") || text.contains("+"))) {
      throw notAWheel(text, origin);
    }
    Requirement requirement;
    try {
      requirement = Requirement.parse(text);
    } catch (DependencyException e) {
      throw new DeclarationException(origin + ": " + e.getMessage(), e);
    }
    String url = requirement.url();
    if (url != null
        && url.regionMatches(true, 0, "file:", 0, 5)
        && !url.regionMatches(5, "/", 0, 1)) {
      // file:wheels/x.whl: a path relative to this file, as a wheel's path alone is.
      return new Requirement(
          requirement.name(),
          requirement.extras(),
          requirement.specifier(),
          artifactWheel(url.substring(5), path, origin),
          requirement.marker());
    }
    return requirement;
  }

  /**
   * A wheel's path or URL as pip reads one: a marker after {@code ;} ({@code "; "} after a URL),
   * then extras in brackets at the end.
   *
   * @param location the path or URL
   * @param extras the extras, without brackets, or empty
   * @param marker the marker's text, or {@code null}
   */
  private record FileReference(String location, String extras, String marker) {
    static FileReference of(String text) {
      String rest = text;
      String marker = null;
      int separator = rest.contains("://") ? rest.indexOf("; ") : rest.indexOf(';');
      if (separator >= 0) {
        marker = rest.substring(separator + 1);
        rest = rest.substring(0, separator).strip();
      }
      String extras = "";
      int open = rest.lastIndexOf('[');
      if (rest.endsWith("]") && open > 0) {
        extras = rest.substring(open + 1, rest.length() - 1).strip();
        rest = rest.substring(0, open).strip();
      }
      return new FileReference(rest, extras, marker);
    }

    /** The file's name: the path's last part, without a URL's query or fragment. */
    String fileName() {
      String path = location.split("[?#]", 2)[0];
      return path.substring(path.lastIndexOf('/') + 1);
    }

    boolean isWheel() {
      return fileName().toLowerCase(Locale.ROOT).endsWith(".whl");
    }
  }

  private Requirement fileRequirement(FileReference file, String path, String origin) {
    Set<String> extras =
        file.extras().isEmpty() ? Set.of() : Set.copyOf(List.of(file.extras().split("\\s*,\\s*")));
    Marker marker = null;
    if (file.marker() != null) {
      try {
        marker = Marker.parse(file.marker());
      } catch (DependencyException e) {
        throw new DeclarationException(origin + ": " + e.getMessage(), e);
      }
    }
    Optional<WheelFilename> wheel = WheelFilename.parse(file.fileName());
    if (wheel.isEmpty()) {
      throw notAWheel(file.location(), origin);
    }
    String location = file.location();
    String url = location.contains("://") ? location : artifactWheel(location, path, origin);
    return new Requirement(wheel.get().name(), extras, SpecifierSet.ANY, url, marker);
  }

  private static DeclarationException notAWheel(String text, String origin) {
    return new DeclarationException(
        origin
            + ": '"
            + Redaction.urls(text)
            + "' is not a wheel; odahu-pack installs wheels"
            + " only (build one with 'pip wheel' and put it in a wheelhouse or an index)");
  }

  /** The {@code file://} URL of the artifact's wheel at {@code relative}, which must exist. */
  private String artifactWheel(String relative, String path, String origin) {
    String wheel = files.resolve(relative, path, origin);
    if (!files.exists(wheel)) {
      throw new DeclarationException(
          origin
              + ": no such wheel '"
              + relative
              + "' (looked for "
              + wheel
              + " in the artifact; a path is read relative to the file that names it)");
    }
    return "file://" + files.absolute(wheel);
  }

  private DeclaredDependencies option(
      String line, String path, String origin, boolean asConstraints) {
    String[] nameAndValue = splitOption(line);
    String name = nameAndValue[0];
    String value = nameAndValue[1];
    return switch (name) {
      case "-r", "--requirement" ->
          readFile(
              files.resolve(required(name, value, origin), path, origin), asConstraints, origin);
      case "-c", "--constraint" ->
          readFile(files.resolve(required(name, value, origin), path, origin), true, origin);
      case "-i", "--index-url" -> sources(SourceDeclarations.index(required(name, value, origin)));
      case "--extra-index-url" ->
          sources(SourceDeclarations.extraIndex(required(name, value, origin)));
      case "-f", "--find-links" ->
          sources(
              SourceDeclarations.findLinks(findLinks(required(name, value, origin), path, origin)));
      case "--no-index" -> sources(SourceDeclarations.NO_INDEX);
      case "--trusted-host" ->
          sources(SourceDeclarations.trustedHost(required(name, value, origin)));
      case "--pre" -> sources(SourceDeclarations.PRE);
      case "--require-hashes" -> sources(SourceDeclarations.REQUIRE_HASHES);
      case "--prefer-binary", "--only-binary", "--no-binary", "--use-feature" ->
          note(origin + ": '" + name + "' has no effect: odahu-pack installs wheels only");
      case "-e", "--editable" ->
          throw new DeclarationException(
              origin
                  + ": editable installs (-e) cannot go into an image; list the package or its wheel");
      default -> throw new DeclarationException(origin + ": unsupported option '" + name + "'");
    };
  }

  private String findLinks(String value, String path, String origin) {
    return value.contains("://")
        ? value
        : files.absolute(files.resolve(value, path, origin)).toString();
  }

  private static String[] splitOption(String line) {
    int equals = line.indexOf('=');
    int space = line.indexOf(' ');
    if (equals > 0 && (space < 0 || equals < space) && line.startsWith("--")) {
      return new String[] {line.substring(0, equals), line.substring(equals + 1).strip()};
    }
    if (space > 0) {
      return new String[] {line.substring(0, space), line.substring(space + 1).strip()};
    }
    if (line.length() > 2 && !line.startsWith("--")) {
      return new String[] {line.substring(0, 2), line.substring(2).strip()};
    }
    return new String[] {line, ""};
  }

  private static String required(String name, String value, String origin) {
    if (value.isEmpty()) {
      throw new DeclarationException(origin + ": '" + name + "' needs a value");
    }
    return value;
  }

  private static DeclaredDependencies sources(SourceDeclarations sources) {
    return new DeclaredDependencies(List.of(), List.of(), List.of(), List.of(), List.of(), sources);
  }

  private static DeclaredDependencies note(String note) {
    return new DeclaredDependencies(
        List.of(), List.of(), List.of(), List.of(), List.of(note), SourceDeclarations.NONE);
  }
}
