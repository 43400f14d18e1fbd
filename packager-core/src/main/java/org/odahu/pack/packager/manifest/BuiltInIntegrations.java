package org.odahu.pack.packager.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The docker-rest and docker-cli integrations odahu-pack knows without any manifest. */
public final class BuiltInIntegrations {
  private static final List<PackagingIntegrationSpec> ALL = load();

  private BuiltInIntegrations() {}

  private static List<PackagingIntegrationSpec> load() {
    ObjectMapper yaml = new YAMLMapper();
    try (InputStream in =
        BuiltInIntegrations.class.getResourceAsStream(
            "/org/odahu/pack/packager/builtin-integrations.yaml")) {
      List<PackagingIntegrationSpec> integrations = new ArrayList<>();
      for (JsonNode document : yaml.readerFor(JsonNode.class).<JsonNode>readValues(in).readAll()) {
        integrations.add(yaml.treeToValue(document, PackagingIntegrationSpec.class));
      }
      return List.copyOf(integrations);
    } catch (IOException e) {
      throw new UncheckedIOException("built-in integrations are unreadable", e);
    }
  }

  /** Every built-in integration. */
  public static List<PackagingIntegrationSpec> all() {
    return ALL;
  }

  /** The built-in integration {@code id}. */
  public static Optional<PackagingIntegrationSpec> find(String id) {
    return ALL.stream().filter(i -> i.id().equals(id)).findFirst();
  }
}
