package org.odahu.pack.packager.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An ODAHU {@code ModelPackaging} resource: what to package and how.
 *
 * @param id the resource id
 * @param spec its specification
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelPackagingSpec(@JsonProperty("id") String id, @JsonProperty("spec") Body spec) {

  /** The resource kind as written in manifests. */
  public static final String KIND = "ModelPackaging";

  public ModelPackagingSpec {
    spec = spec == null ? new Body(null, null, null, null, null, null) : spec;
  }

  /**
   * The {@code spec} section.
   *
   * @param artifactName the trained artifact, e.g. {@code wine-1.0-<uuid>.zip}
   * @param integrationName the packaging integration, e.g. {@code docker-rest}
   * @param image the packager image (cluster only; ignored locally)
   * @param arguments the integration's arguments
   * @param targets the targets with their connections
   * @param outputConnection where the artifact is stored (cluster only)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Body(
      @JsonProperty("artifactName") String artifactName,
      @JsonProperty("integrationName") String integrationName,
      @JsonProperty("image") String image,
      @JsonProperty("arguments") ObjectNode arguments,
      @JsonProperty("targets") List<TargetSpec> targets,
      @JsonProperty("outputConnection") String outputConnection) {
    public Body {
      arguments = arguments == null ? JsonNodeFactory.instance.objectNode() : arguments.deepCopy();
      targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** The integration's arguments: a copy, so that the packaging stays as it was read. */
    @Override
    public ObjectNode arguments() {
      return arguments.deepCopy();
    }
  }
}
