package org.odahu.pack.packager.manifest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.odahu.pack.artifact.yaml.YamlAliases;
import org.odahu.pack.packager.PackagingException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The ODAHU resources read from manifest files and directories, as {@code odahuflowctl -f FILE -d
 * DIR} reads them: YAML or JSON, several documents per file, arrays of resources. Kinds other than
 * ModelPackaging, PackagingIntegration and Connection are ignored. A resource defined more than
 * once (same kind and id) is its last definition, files first and directories after, as
 * odahuflowctl keeps the last one it reads; {@link #duplicate} says so.
 *
 * @param packagings the ModelPackaging resources
 * @param integrations the PackagingIntegration resources
 * @param connections the Connection resources
 * @param definitions the files defining each resource, in reading order, by {@link #key}
 */
public record ResourceSet(
    List<ModelPackagingSpec> packagings,
    List<PackagingIntegrationSpec> integrations,
    List<ConnectionSpec> connections,
    Map<String, List<Path>> definitions) {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  public ResourceSet {
    packagings = List.copyOf(packagings);
    integrations = List.copyOf(integrations);
    connections = List.copyOf(connections);
    definitions = Map.copyOf(definitions);
  }

  /** Resources read from nowhere in particular (tests, built-in ones). */
  public ResourceSet(
      List<ModelPackagingSpec> packagings,
      List<PackagingIntegrationSpec> integrations,
      List<ConnectionSpec> connections) {
    this(packagings, integrations, connections, Map.of());
  }

  /**
   * Reads every file, then every {@code .yaml}, {@code .yml} and {@code .json} file of each
   * directory.
   */
  public static ResourceSet read(List<Path> files, List<Path> directories) {
    List<Path> all = new ArrayList<>(files);
    for (Path directory : directories) {
      if (!Files.isDirectory(directory)) {
        throw new PackagingException(
            Files.exists(directory)
                ? "Manifest directory "
                    + directory
                    + " is a file: give a manifest file with -f (--manifest-file)"
                : "Manifest directory not found: " + directory);
      }
      try (Stream<Path> entries = Files.list(directory)) {
        entries.filter(ResourceSet::isManifestFile).sorted().forEach(all::add);
      } catch (IOException e) {
        throw new PackagingException(
            "Cannot list manifest directory " + directory + ": " + e.getMessage(), e);
      }
    }
    List<ModelPackagingSpec> packagings = new ArrayList<>();
    List<PackagingIntegrationSpec> integrations = new ArrayList<>();
    List<ConnectionSpec> connections = new ArrayList<>();
    Map<String, List<Path>> definitions = new HashMap<>();
    for (Path file : all) {
      for (JsonNode resource : documents(file)) {
        String kind = resource.path("kind").asText("");
        if (resource.path("id").isTextual()) {
          definitions
              .computeIfAbsent(key(kind, resource.path("id").asText()), k -> new ArrayList<>())
              .add(file);
        }
        try {
          switch (kind) {
            case ModelPackagingSpec.KIND ->
                packagings.add(YAML.treeToValue(resource, ModelPackagingSpec.class));
            case PackagingIntegrationSpec.KIND ->
                integrations.add(YAML.treeToValue(resource, PackagingIntegrationSpec.class));
            case ConnectionSpec.KIND ->
                connections.add(YAML.treeToValue(resource, ConnectionSpec.class));
            default -> {
              // Trainings, deployments and other kinds are not the packager's business.
            }
          }
        } catch (IOException e) {
          // One line, and not chained: the cause's message may quote the value, e.g. a password.
          throw new PackagingException(
              "Manifest file "
                  + file
                  + ": invalid "
                  + kind
                  + " '"
                  + resource.path("id").asText()
                  + "': "
                  + FieldProblems.of(e, resource, ""));
        }
      }
    }
    Map<String, List<Path>> copies = new HashMap<>();
    definitions.forEach((key, defining) -> copies.put(key, List.copyOf(defining)));
    return new ResourceSet(packagings, integrations, connections, copies);
  }

  /** The files that define resources: the packaging's manifests, which may hold passwords. */
  public Set<Path> files() {
    Set<Path> files = new LinkedHashSet<>();
    definitions.values().forEach(files::addAll);
    return files;
  }

  private static String key(String kind, String id) {
    return kind + " '" + id + "'";
  }

  private static boolean isManifestFile(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(path)
        && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  /** The largest manifest file read: ODAHU's resources take a few kilobytes. */
  static final int MAX_FILE_BYTES = 16 << 20;

  /** The resources of one file: every document, arrays flattened. */
  static List<JsonNode> documents(Path file) {
    // Anything that reads as a file will do: a pipe too, e.g. -f <(kubectl get ... -o yaml).
    if (Files.isDirectory(file)) {
      throw new PackagingException(
          "Manifest file "
              + file
              + " is a directory: give a directory of manifests with -d (--manifest-dir)");
    }
    if (!Files.exists(file)) {
      throw new PackagingException("Manifest file not found: " + file);
    }
    List<JsonNode> resources = new ArrayList<>();
    try {
      // Read once, bounded: the file may be a pipe, and is parsed twice (aliases first).
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      }
      if (bytes.length > MAX_FILE_BYTES) {
        throw new PackagingException(
            "Manifest file " + file + " is over " + (MAX_FILE_BYTES >> 20) + " MiB: not read");
      }
      YamlAliases.refuse(
          YAML.createParser(bytes),
          alias ->
              new PackagingException(
                  "Manifest file " + file + ":" + alias.line() + ": " + alias.problem()));
      readDocuments(file, bytes, resources);
    } catch (IOException | RuntimeException e) {
      if (e instanceof PackagingException packaging) {
        throw packaging;
      }
      // Not chained: the cause's message quotes the offending line, which may hold a password.
      throw new PackagingException(
          "Manifest file " + file + " is not valid YAML or JSON: " + syntaxProblem(e));
    }
    return resources;
  }

  private static void readDocuments(Path file, byte[] bytes, List<JsonNode> resources)
      throws IOException {
    try (JsonParser parser = YAML.createParser(bytes);
        MappingIterator<JsonNode> documents = YAML.readValues(parser, JsonNode.class)) {
      int index = 0;
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        index++;
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        for (JsonNode resource : document.isArray() ? document : List.of(document)) {
          if (!resource.isObject() || !resource.hasNonNull("kind")) {
            throw new PackagingException(
                "Manifest file "
                    + file
                    + ": document "
                    + index
                    + " is not an ODAHU resource (no \"kind\")");
          }
          resources.add(resource);
        }
      }
    }
  }

  /**
   * Why a manifest file cannot be read, without the parser's quote of the offending line (a
   * Connection's line may hold a password): the problem and where it is, the line and column
   * counted from 1.
   */
  public static String syntaxProblem(Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
        Mark mark = marked.getProblemMark();
        String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
        return context
            + marked.getProblem()
            + " at line "
            + (mark.getLine() + 1)
            + ", column "
            + (mark.getColumn() + 1);
      }
    }
    if (e instanceof JacksonException jackson && jackson.getLocation() != null) {
      JsonLocation location = jackson.getLocation();
      return "cannot be parsed at line "
          + location.getLineNr()
          + ", column "
          + location.getColumnNr();
    }
    if (e instanceof IOException && !(e instanceof JacksonException)) {
      return e.getMessage(); // the file system's word, e.g. a file that cannot be read
    }
    return "cannot be parsed";
  }

  /**
   * A resource file's text as ODAHU's {@code parse_resource_file} reads it: JSON, else YAML (its
   * first document); empty text is a missing node.
   *
   * @throws JacksonException what JSON's parser found wrong when the text looks like JSON (begins
   *     with { or [), else what YAML's did
   */
  public static JsonNode parseJsonOrYaml(String text) throws JacksonException {
    try {
      return JSON.readTree(text);
    } catch (JacksonException notJson) {
      try {
        JsonNode tree = YAML.readTree(text);
        return tree == null ? MissingNode.getInstance() : tree;
      } catch (JacksonException notYaml) {
        String start = text.strip();
        throw start.startsWith("{") || start.startsWith("[") ? notJson : notYaml;
      }
    }
  }

  /** The packaging with this id (its last definition). */
  public Optional<ModelPackagingSpec> packaging(String id) {
    return packagings.reversed().stream().filter(p -> id.equals(p.id())).findFirst();
  }

  /** The integration with this id (its last definition). */
  public Optional<PackagingIntegrationSpec> integration(String id) {
    return integrations.reversed().stream().filter(p -> id.equals(p.id())).findFirst();
  }

  /** The connection with this id (its last definition). */
  public Optional<ConnectionSpec> connection(String id) {
    return connections.reversed().stream().filter(c -> id.equals(c.id())).findFirst();
  }

  /**
   * A warning if the resource of this {@code kind} (e.g. {@link ConnectionSpec#KIND}) and id is
   * defined more than once, naming the files and the one used.
   */
  public Optional<String> duplicate(String kind, String id) {
    List<Path> files = definitions.getOrDefault(key(kind, id), List.of());
    if (files.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(
        key(kind, id)
            + " is defined "
            + files.size()
            + " times in the manifest files ("
            + String.join(", ", files.stream().map(Path::toString).toList())
            + "): the last one, in "
            + files.getLast()
            + ", is used, as odahuflowctl does");
  }
}
