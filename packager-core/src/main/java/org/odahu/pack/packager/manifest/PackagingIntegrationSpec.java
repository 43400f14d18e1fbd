package org.odahu.pack.packager.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An ODAHU {@code PackagingIntegration} resource: a packager, its targets and the JSON schema of
 * its arguments (written as ODAHU writes it: properties with named parameters).
 *
 * @param id the integration id, e.g. {@code docker-rest}
 * @param spec its specification
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PackagingIntegrationSpec(
    @JsonProperty("id") String id, @JsonProperty("spec") Body spec) {

  /** The resource kind as written in manifests. */
  public static final String KIND = "PackagingIntegration";

  public PackagingIntegrationSpec {
    spec = spec == null ? new Body(null, null, false, null) : spec;
  }

  /**
   * The {@code spec} section.
   *
   * @param entrypoint the packager command inside {@code defaultImage}
   * @param defaultImage the packager image
   * @param privileged whether the cluster runs it privileged
   * @param schema targets and arguments
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Body(
      @JsonProperty("entrypoint") String entrypoint,
      @JsonProperty("defaultImage") String defaultImage,
      @JsonProperty("privileged") boolean privileged,
      @JsonProperty("schema") Schema schema) {
    public Body {
      schema = schema == null ? new Schema(null, null) : schema;
    }
  }

  /**
   * Targets and arguments the integration accepts.
   *
   * @param targets the targets
   * @param arguments the arguments' schema
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Schema(
      @JsonProperty("targets") List<TargetSchema> targets,
      @JsonProperty("arguments") ArgumentsSchema arguments) {
    public Schema {
      targets = targets == null ? List.of() : List.copyOf(targets);
      arguments = arguments == null ? new ArgumentsSchema(null, null) : arguments;
    }
  }

  /**
   * One target the integration knows.
   *
   * @param name the target name
   * @param connectionTypes connection types it accepts
   * @param defaultConnection the connection used when a packaging names none ({@code default})
   * @param required whether a packaging must have it
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TargetSchema(
      @JsonProperty("name") String name,
      @JsonProperty("connectionTypes") List<String> connectionTypes,
      @JsonProperty("default") String defaultConnection,
      @JsonProperty("required") boolean required) {
    public TargetSchema {
      connectionTypes = connectionTypes == null ? List.of() : List.copyOf(connectionTypes);
    }
  }

  /**
   * The arguments: each property has parameters such as {@code type}, {@code description} and
   * {@code default}.
   *
   * @param properties the properties
   * @param required names of required arguments
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ArgumentsSchema(
      @JsonProperty("properties") List<Property> properties,
      @JsonProperty("required") List<String> required) {
    public ArgumentsSchema {
      properties = properties == null ? List.of() : List.copyOf(properties);
      required = required == null ? List.of() : List.copyOf(required);
    }
  }

  /**
   * One argument.
   *
   * @param name the argument name
   * @param parameters its JSON-schema keywords, as name/value pairs
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Property(
      @JsonProperty("name") String name, @JsonProperty("parameters") List<Parameter> parameters) {
    public Property {
      parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }
  }

  /**
   * One JSON-schema keyword of a property.
   *
   * @param name the keyword, e.g. {@code type} or {@code default}
   * @param value its value
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Parameter(
      @JsonProperty("name") String name, @JsonProperty("value") JsonNode value) {}
}
