package org.odahu.pack.artifact;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.artifact.yaml.YamlAliases;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The ODAHU model manifest ({@code odahuflow.project.yaml}), as immutable values.
 *
 * @param binaries how the model runs; required
 * @param model name, version, work directory and entrypoint module; {@code null} when absent
 * @param odahuflowVersion the manifest format version; {@code null} when absent
 * @param toolchain what produced the artifact; {@code null} when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(
    @JsonProperty(value = "binaries", required = true) Binaries binaries,
    @JsonProperty("model") ModelSection model,
    @JsonProperty("odahuflowVersion") String odahuflowVersion,
    @JsonProperty("toolchain") Toolchain toolchain) {

  /** The manifest's file name. */
  public static final String FILE_NAME = "odahuflow.project.yaml";

  /** The name ODAHU's documentation uses, still accepted. */
  public static final String LEGACY_FILE_NAME = "odahuflow.model.yaml";

  /**
   * The largest manifest read, in bytes. ODAHU's manifests are a few hundred bytes; the bound is
   * checked on the file's size before anything is read, so a huge file is refused at once.
   */
  public static final int MAX_BYTES = 256 * 1024;

  /** Deepest nesting a manifest may have (ODAHU's has three levels). */
  static final int MAX_NESTING = 32;

  /** Most aliases a YAML manifest may use (ODAHU writes none); bounds "billion laughs". */
  static final int MAX_ALIASES = 16;

  private static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING)
          .maxStringLength(MAX_BYTES)
          .maxDocumentLength(MAX_BYTES)
          .build();
  private static final ObjectMapper JSON =
      JsonMapper.builder(JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final ObjectMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .loaderOptions(yamlLimits())
                  .streamReadConstraints(CONSTRAINTS)
                  .build())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /** Jackson's word for a required field that is not there. */
  private static final Pattern MISSING_PROPERTY =
      Pattern.compile("Missing required creator property '([^']*)'");

  /** What Jackson found instead of the value it wanted: {@code from Array value}. */
  private static final Pattern FOUND = Pattern.compile("from (\\w+) value");

  private static final Pattern MODULE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

  public ModelManifest {
    requireValue(binaries, "binaries");
  }

  /**
   * How the model runs.
   *
   * @param type must be {@code python}
   * @param dependencies must be {@code conda}
   * @param condaPath the conda environment file, relative to the artifact root; may be {@code null}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Binaries(
      @JsonProperty(value = "type", required = true) String type,
      @JsonProperty(value = "dependencies", required = true) String dependencies,
      @JsonProperty("conda_path") String condaPath) {
    public Binaries {
      requireValue(type, "binaries.type");
      requireValue(dependencies, "binaries.dependencies");
    }
  }

  /**
   * The model section. Name and version stay strings even where YAML reads {@code 1.0} as a number.
   *
   * @param name model name
   * @param version model version
   * @param workDir directory holding the model files and the entrypoint, relative to the root
   * @param entrypoint the GPPI module to import from {@code workDir}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ModelSection(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "version", required = true) String version,
      @JsonProperty(value = "workDir", required = true) String workDir,
      @JsonProperty(value = "entrypoint", required = true) String entrypoint) {
    public ModelSection {
      requireValue(name, "model.name");
      requireValue(version, "model.version");
      requireValue(workDir, "model.workDir");
      requireValue(entrypoint, "model.entrypoint");
    }
  }

  /**
   * The toolchain that wrote the artifact.
   *
   * @param name toolchain name, e.g. {@code mlflow}
   * @param version toolchain version
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Toolchain(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "version", required = true) String version) {}

  private static void requireValue(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " field required");
    }
  }

  private static LoaderOptions yamlLimits() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_BYTES);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setAllowRecursiveKeys(false);
    return options;
  }

  /**
   * Reads and parses a manifest file. Its size is checked before it is read: a file over {@link
   * #MAX_BYTES}, or one that is not a regular file (a FIFO would block), is refused unread.
   */
  public static ModelManifest read(Path file) {
    byte[] bytes;
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new ManifestException("Model manifest " + file + " is not a regular file");
      }
      if (attributes.size() > MAX_BYTES) {
        throw tooLarge(file, attributes.size());
      }
      try (InputStream in = Files.newInputStream(file)) {
        // The file may grow between the check and the read: never read past the bound.
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
    } catch (IOException e) {
      throw new ManifestException("Cannot read model manifest " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(file, bytes.length);
    }
    try {
      return parse(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      throw new ManifestException(
          "Odahu manifest file is in incorrect format: " + file + " is not UTF-8 text", e);
    }
  }

  private static ManifestException tooLarge(Path file, long size) {
    return new ManifestException(
        "Model manifest "
            + file
            + " is "
            + size
            + " bytes, more than the "
            + MAX_BYTES
            + " a manifest may have: it was not read");
  }

  /** Parses manifest text, JSON or YAML. */
  public static ModelManifest parse(String text) {
    try {
      ModelManifest manifest = readJsonThenYaml(text);
      if (manifest == null) {
        throw new ManifestException(
            "Odahu manifest file is in incorrect format: the file is empty");
      }
      return manifest;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ManifestException(
          "Odahu manifest file is in incorrect format: " + cause.getMessage(), e);
    } catch (MismatchedInputException e) {
      throw new ManifestException("Odahu manifest file is in incorrect format: " + mismatch(e), e);
    } catch (JacksonException e) {
      throw new ManifestException(
          "Odahu manifest file is in incorrect format: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ManifestException("Odahu manifest file cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * What is wrong with a field, in the manifest's own terms rather than Java's: {@code
   * model.entrypoint is missing}, {@code binaries must be a mapping, not a list}.
   */
  private static String mismatch(MismatchedInputException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
      } else {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    String original = e.getOriginalMessage();
    Matcher missing = MISSING_PROPERTY.matcher(original);
    if (missing.find()) {
      // The path names the missing field itself, or (with some Jackson versions) its parent.
      String name = missing.group(1);
      String field = path.toString();
      return (field.equals(name) || field.endsWith("." + name)
              ? field
              : (field.isEmpty() ? "" : field + ".") + name)
          + " is missing";
    }
    Matcher found = FOUND.matcher(original);
    if (e.getTargetType() == null || !found.find()) {
      return original;
    }
    return (path.isEmpty() ? "the manifest" : path)
        + " must be "
        + kind(e.getTargetType())
        + ", not "
        + switch (found.group(1)) {
          case "Array" -> "a list";
          case "Object" -> "a mapping";
          case "String" -> "a string";
          case "Boolean" -> "true or false";
          default -> "a number";
        };
  }

  /** What a value of {@code type} is in YAML's words. */
  private static String kind(Class<?> type) {
    if (CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a mapping";
  }

  /**
   * As ODAHU ({@code json.loads}, then YAML): JSON first, since YAML refuses some JSON, such as tab
   * indentation; text that only looks like JSON, such as YAML's {@code {key: value}}, is YAML.
   */
  private static ModelManifest readJsonThenYaml(String text) throws IOException {
    if (text.stripLeading().startsWith("{")) {
      try {
        return JSON.readValue(text, ModelManifest.class);
      } catch (StreamReadException e) {
        // Not JSON: read it as YAML below.
      } catch (MismatchedInputException e) {
        if (!String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
          throw e;
        }
        // More after the object (json.loads refuses it): YAML below says what.
      }
    }
    YamlAliases.refuse(
        YAML.createParser(text),
        alias ->
            new ManifestException(
                "Odahu manifest file is in incorrect format: line "
                    + alias.line()
                    + ": "
                    + alias.problem()));
    try (JsonParser parser = YAML.createParser(text)) {
      ModelManifest manifest;
      try {
        manifest = YAML.readValue(parser, ModelManifest.class);
      } catch (MismatchedInputException e) {
        if (e.getPath().isEmpty()
            && parser.currentToken() == JsonToken.VALUE_STRING
            && parser.getText().isEmpty()) {
          manifest = null; // an empty document ("---" alone): is another after it?
        } else {
          // A syntax error further on, e.g. an unclosed [, is what to report, not the type of
          // the value it cut short.
          while (parser.nextToken() != null) {
            parser.skipChildren();
          }
          throw e;
        }
      }
      if (parser.nextToken() != null) {
        throw new ManifestException(
            "Odahu manifest file is in incorrect format: it holds more than one YAML document (the"
                + " second starts at line "
                + parser.currentTokenLocation().getLineNr()
                + "), which ODAHU's yaml.safe_load refuses too");
      }
      return manifest;
    }
  }

  /**
   * Problems that stop this model from being served, with ODAHU's messages: the binaries must be
   * {@code python}/{@code conda}, the model section must be set and name a valid work directory and
   * entrypoint module.
   */
  public List<String> servingProblems() {
    List<String> problems = new ArrayList<>();
    if (!"python".equals(binaries.type())) {
      problems.add("Unsupported model binaries type: " + binaries.type());
    }
    if (!"conda".equals(binaries.dependencies())) {
      problems.add("Unsupported model dependencies type: " + binaries.dependencies());
    }
    if (model == null) {
      problems.add("Model section is not set");
    } else {
      if (!MODULE_NAME.matcher(model.entrypoint()).matches()) {
        problems.add("Model entrypoint is not a Python module name: " + model.entrypoint());
      }
      if (!isRelativeInside(model.workDir())) {
        problems.add("Model workDir must be a path inside the artifact: " + model.workDir());
      }
    }
    return problems;
  }

  /**
   * Problems that stop ODAHU's packagers, in their order: {@link #servingProblems()} plus {@code
   * odahuflowVersion is not set} and {@code Conda path is not set}.
   */
  public List<String> packagingProblems() {
    List<String> problems = servingProblems();
    if (odahuflowVersion == null || odahuflowVersion.isEmpty()) {
      problems.add("odahuflowVersion is not set");
    }
    if (binaries.condaPath() == null || binaries.condaPath().isEmpty()) {
      problems.add("Conda path is not set");
    } else if (!isRelativeInside(binaries.condaPath())) {
      problems.add("Conda path must be a path inside the artifact: " + binaries.condaPath());
    }
    if (model != null) {
      // The image's server would refuse to start with it: not built into an image that verifies.
      controlCharacter("name", model.name()).ifPresent(problems::add);
      controlCharacter("version", model.version()).ifPresent(problems::add);
    }
    return problems;
  }

  private static java.util.Optional<String> controlCharacter(String what, String value) {
    int found = value == null ? -1 : controlCharacter(value);
    return found < 0
        ? java.util.Optional.empty()
        : java.util.Optional.of(
            String.format(
                "The model %s \"%s\" contains the control character U+%04X: the image's server"
                    + " would refuse to start (names and versions go into response headers)",
                what, escaped(value), found));
  }

  /**
   * The first control character (CR, LF, tab...) of a model's name or version, which response
   * headers cannot hold, or -1: the server refuses to start with one, and packaging refuses it.
   */
  public static int controlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return value.charAt(i);
      }
    }
    return -1;
  }

  /** {@code value} with its control characters written as {@code \\uXXXX}, for messages. */
  public static String escaped(String value) {
    StringBuilder escaped = new StringBuilder();
    value
        .chars()
        .forEach(
            c ->
                escaped.append(Character.isISOControl(c) ? String.format("\\u%04X", c) : (char) c));
    return escaped.toString();
  }

  private static boolean isRelativeInside(String relative) {
    // A NUL is no path at all (Path.of would throw).
    if (relative.isEmpty() || relative.startsWith("/") || relative.indexOf('\0') >= 0) {
      return false;
    }
    Path base = Path.of("/artifact");
    return base.resolve(relative).normalize().startsWith(base);
  }
}
