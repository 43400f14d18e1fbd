package org.odahu.pack.packager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.odahu.pack.pydeps.common.Redaction;

/**
 * A validated packaging, whatever it was read from (local manifests or a cluster's {@code
 * mp.json}): which image to build, with which arguments, pushed where.
 *
 * @param packagingId the ModelPackaging id
 * @param artifactName the trained artifact the packaging names
 * @param integrationId the PackagingIntegration id
 * @param layoutId the id of the image layout that builds it, e.g. {@code docker-rest}
 * @param arguments the effective arguments: the integration's defaults overridden by the
 *     packaging's
 * @param push where to push; without it (null) a tarball is written
 * @param pull the docker-pull connection, whose credentials pull the base image from its registry;
 *     null without one
 * @param warnings things the user should know (ignored arguments, ...)
 */
public record PackagingPlan(
    String packagingId,
    String artifactName,
    String integrationId,
    String layoutId,
    ObjectNode arguments,
    RegistryTarget push,
    RegistryTarget pull,
    List<String> warnings) {

  public PackagingPlan {
    arguments = arguments.deepCopy();
    warnings = List.copyOf(warnings);
  }

  /** This plan with other registry targets, e.g. ones with an {@code ecr} login token. */
  public PackagingPlan withTargets(RegistryTarget push, RegistryTarget pull) {
    return new PackagingPlan(
        packagingId, artifactName, integrationId, layoutId, arguments, push, pull, warnings);
  }

  /** The effective arguments: a copy, so that the plan stays as it was made. */
  @Override
  public ObjectNode arguments() {
    return arguments.deepCopy();
  }

  /**
   * A text argument, or {@code fallback} when absent or empty. A number or boolean is taken as its
   * text, as pydantic takes it for ODAHU's string arguments.
   *
   * @throws PackagingException if the value is an object or an array
   */
  public String text(String name, String fallback) {
    JsonNode value = arguments.get(name);
    if (value != null && value.isContainerNode()) {
      throw new PackagingException(
          "Argument "
              + name
              + " must be a string, got "
              + (value.isObject() ? "an object" : "an array"));
    }
    return value == null || value.isNull() || value.asText().isEmpty() ? fallback : value.asText();
  }

  /**
   * Without credentials: an argument may hold a URL with a user and password (e.g. {@code
   * pipIndexUrl}), shown as pip shows it ({@code https://user:****@host/}).
   */
  @Override
  public String toString() {
    return Redaction.urls(
        "PackagingPlan[packagingId="
            + packagingId
            + ", artifactName="
            + artifactName
            + ", integrationId="
            + integrationId
            + ", layoutId="
            + layoutId
            + ", arguments="
            + arguments
            + ", push="
            + push
            + ", pull="
            + pull
            + ", warnings="
            + warnings
            + "]");
  }

  /** An integer argument, or {@code fallback} when absent. */
  public int integer(String name, int fallback) {
    JsonNode value = arguments.get(name);
    return value == null || value.isNull() ? fallback : value.asInt(fallback);
  }

  /**
   * An integer argument between {@code min} and {@code max}, or {@code fallback} when absent. A
   * cluster's packaging (mp.json) was not checked against the integration's schema: this is where a
   * value the image could not start with is refused.
   *
   * @throws PackagingException if the value is no whole number or out of range
   */
  public int integer(String name, int fallback, int min, int max) {
    JsonNode value = arguments.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    Integer number = null;
    if (value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToInt()) {
      number = value.intValue();
    } else if (value.isTextual()) {
      try {
        number = Integer.parseInt(value.asText().strip());
      } catch (NumberFormatException e) {
        number = null;
      }
    }
    String range =
        max == Integer.MAX_VALUE
            ? "a whole number of at least " + min
            : "a whole number between " + min + " and " + max;
    if (number == null || number < min || number > max) {
      throw new PackagingException("Argument " + name + " must be " + range + ", got " + value);
    }
    return number;
  }

  /** A boolean argument, or {@code fallback} when absent. */
  public boolean bool(String name, boolean fallback) {
    JsonNode value = arguments.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    return value.asBoolean(fallback);
  }
}
