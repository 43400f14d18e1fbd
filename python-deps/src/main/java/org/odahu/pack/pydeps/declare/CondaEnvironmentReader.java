package org.odahu.pack.pydeps.declare;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.artifact.yaml.YamlAliases;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.pep440.SpecifierSet;
import org.odahu.pack.pydeps.pep508.Requirement;

/**
 * Reads a conda environment file: its {@code python} pin, its conda entries translated to Python
 * requirements (conda's {@code =1.2} is {@code ==1.2.*}; build strings and channels dropped), the
 * conda-only packages, and its {@code pip:} list read like a requirements file.
 */
final class CondaEnvironmentReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9_.\\-]*)\\s*(.*)");

  private final ArtifactFiles files;
  private final RequirementsFileReader requirements;

  CondaEnvironmentReader(ArtifactFiles files, RequirementsFileReader requirements) {
    this.files = files;
    this.requirements = requirements;
  }

  DeclaredDependencies read(String path) {
    String text = files.read(path, path);
    JsonNode root;
    try {
      YamlAliases.refuse(
          YAML.createParser(text),
          alias -> new DeclarationException(path + ":" + alias.line() + ": " + alias.problem()));
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new DeclarationException(path + where(e) + " is not valid YAML: " + problem(e), e);
    }
    JsonNode dependencies = root == null ? null : root.get("dependencies");
    if (dependencies == null || dependencies.isNull()) {
      return DeclaredDependencies.NONE;
    }
    if (!dependencies.isArray()) {
      throw new DeclarationException(path + ": 'dependencies' must be a list");
    }
    List<String> lines = List.of(text.split("\r?\n", -1));
    DeclaredDependencies result = DeclaredDependencies.NONE;
    for (JsonNode entry : dependencies) {
      result = result.merge(entry(entry, path, lines));
    }
    return result;
  }

  private DeclaredDependencies entry(JsonNode entry, String path, List<String> lines) {
    if (entry.isObject() && entry.has("pip")) {
      List<String> pip = new ArrayList<>();
      entry.get("pip").forEach(line -> pip.add(line.asText()));
      int first = pip.isEmpty() ? 1 : lineOf(lines, pip.get(0));
      return requirements.readLines(pip, path, first, false);
    }
    if (!entry.isTextual() && !entry.isNumber()) {
      throw new DeclarationException(path + ": unexpected dependency entry " + entry);
    }
    String written = entry.asText().strip();
    String origin = path + ":" + lineOf(lines, written);
    return conda(written, origin);
  }

  /**
   * One conda entry such as {@code numpy=1.19}, {@code conda-forge::scipy >=1.5} or {@code mkl}.
   */
  static DeclaredDependencies conda(String written, String origin) {
    String spec = written.contains("::") ? written.substring(written.indexOf("::") + 2) : written;
    Matcher m = ENTRY.matcher(spec.strip());
    if (!m.matches()) {
      throw new DeclarationException(origin + ": cannot read conda entry '" + written + "'");
    }
    String name = m.group(1);
    String versions = pep440(m.group(2).strip(), written, origin);
    if (name.equalsIgnoreCase("python")) {
      return versions.isEmpty()
          ? DeclaredDependencies.NONE
          : with(new PythonPin(written, parse(versions, written, origin), origin));
    }
    if (name.equalsIgnoreCase("pip")) {
      return note(
          origin + ": '" + written + "' dropped: pip itself is not needed to install wheels");
    }
    if (CondaNames.isCondaOnly(name)) {
      return with(new CondaOnlyPackage(name, written, origin));
    }
    String project = CondaNames.pypiName(name).orElse(name);
    Requirement requirement =
        new Requirement(project, Set.of(), parse(versions, written, origin), null, null);
    return new DeclaredDependencies(
        List.of(DeclaredRequirement.of(requirement, origin)),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        SourceDeclarations.NONE);
  }

  /** Conda's version syntax as PEP 440 clauses. */
  private static String pep440(String versions, String written, String origin) {
    if (versions.contains("|")) {
      throw new DeclarationException(
          origin
              + ": conda version '"
              + written
              + "' has alternatives ('|') that PEP 440 cannot"
              + " express; list the package under 'pip:' with a PEP 440 specifier");
    }
    if (versions.isEmpty()) {
      return "";
    }
    if (versions.startsWith("==")) {
      return "==" + versions.substring(2).split("[=\\s]", 2)[0];
    }
    if (versions.startsWith("=")) {
      return "==" + prefix(versions.substring(1).split("[=\\s]", 2)[0]);
    }
    if (Character.isDigit(versions.charAt(0))) {
      String version = versions.split("\\s+", 2)[0];
      return "==" + (version.contains("*") ? prefix(version) : version);
    }
    // Each pattern starts only where a run of its first characters starts: linear in the length.
    String compact =
        versions
            .replaceAll("(?<![<>=!~])([<>=!~]++)\\s+", "$1")
            .replaceAll("(?<!\\s)\\s*+,\\s*", ",");
    return compact.split("\\s+", 2)[0];
  }

  /** Conda's {@code 1.2}, {@code 1.2.*} and {@code 1.2*} all mean "starts with 1.2". */
  private static String prefix(String version) {
    String bare = version.replaceAll("\\.?\\*$", "");
    return bare + ".*";
  }

  private static SpecifierSet parse(String versions, String written, String origin) {
    try {
      return SpecifierSet.parse(versions);
    } catch (DependencyException e) {
      throw new DeclarationException(
          origin
              + ": conda version '"
              + written
              + "' is not a PEP 440 version ("
              + e.getMessage()
              + "); list the package under 'pip:'",
          e);
    }
  }

  private static int lineOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    return 1;
  }

  /** Where the parser stopped, {@code :line:column} (from 1), or nothing when it does not say. */
  static String where(IOException e) {
    if (e instanceof JacksonException jackson
        && jackson.getLocation() != null
        && jackson.getLocation().getLineNr() > 0) {
      return ":" + jackson.getLocation().getLineNr() + ":" + jackson.getLocation().getColumnNr();
    }
    return "";
  }

  /** The parser's first line, without the location Jackson appends (given by {@link #where}). */
  private static String problem(IOException e) {
    String message = e instanceof JacksonException jackson ? jackson.getOriginalMessage() : null;
    message = message != null ? message : e.getMessage();
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  private static DeclaredDependencies with(PythonPin pin) {
    return new DeclaredDependencies(
        List.of(), List.of(), List.of(pin), List.of(), List.of(), SourceDeclarations.NONE);
  }

  private static DeclaredDependencies with(CondaOnlyPackage condaOnly) {
    return new DeclaredDependencies(
        List.of(), List.of(), List.of(), List.of(condaOnly), List.of(), SourceDeclarations.NONE);
  }

  static DeclaredDependencies note(String note) {
    return new DeclaredDependencies(
        List.of(), List.of(), List.of(), List.of(), List.of(note), SourceDeclarations.NONE);
  }
}
