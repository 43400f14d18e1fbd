package org.odahu.pack.pydeps.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.pep508.Requirement;
import org.odahu.pack.pydeps.tags.Libc;

/**
 * A {@link TargetEnvironment} as JSON, for the cache of what base images provide: detecting it
 * reads the whole base image, and the same base gives the same answer.
 */
public final class TargetCodec {
  /** Changes whenever detection or this format would give a different value for the same image. */
  public static final String FORMAT = "odahu-pack-target/1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private TargetCodec() {}

  /** The JSON text of {@code target}. */
  public static String write(TargetEnvironment target) {
    ObjectNode root = JSON.createObjectNode().put("format", FORMAT);
    root.put("interpreter", target.interpreter())
        .put("pythonVersion", target.pythonVersion())
        .put("architecture", target.architecture());
    target
        .libc()
        .ifPresent(
            libc ->
                root.putObject("libc")
                    .put("family", libc.family())
                    .put("major", libc.major())
                    .put("minor", libc.minor()));
    strings(root.putArray("sitePackages"), target.sitePackages());
    ArrayNode installed = root.putArray("installed");
    for (InstalledDistribution distribution : target.installed()) {
      ObjectNode entry =
          installed
              .addObject()
              .put("name", distribution.name())
              .put("version", distribution.version().toString())
              .put("metadata", distribution.metadata());
      strings(
          entry.putArray("requiresDist"),
          distribution.requiresDist().stream().map(Requirement::toString).toList());
    }
    strings(root.putArray("notes"), target.notes());
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The target in {@code json}; empty if it cannot be read (e.g. written by another version). */
  public static Optional<TargetEnvironment> read(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (!FORMAT.equals(root.path("format").asText())) {
        return Optional.empty();
      }
      JsonNode libc = root.path("libc");
      List<InstalledDistribution> installed = new ArrayList<>();
      for (JsonNode entry : root.path("installed")) {
        List<Requirement> requires = new ArrayList<>();
        entry.path("requiresDist").forEach(r -> requires.add(Requirement.parse(r.asText())));
        installed.add(
            new InstalledDistribution(
                entry.path("name").asText(),
                Version.parse(entry.path("version").asText()),
                entry.path("metadata").asText(),
                requires));
      }
      return Optional.of(
          new TargetEnvironment(
              root.path("interpreter").asText(),
              root.path("pythonVersion").asText(),
              root.path("architecture").asText(),
              libc.isObject()
                  ? Optional.of(
                      new Libc(
                          libc.path("family").asText(),
                          libc.path("major").asInt(),
                          libc.path("minor").asInt()))
                  : Optional.empty(),
              texts(root.path("sitePackages")),
              installed,
              texts(root.path("notes"))));
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
