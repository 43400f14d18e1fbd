package org.odahu.pack.packager.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.testing.TestLayouts;

/** ODAHU's validation rules and messages for packagings and integrations. */
class PackagingValidatorTest {
  private static final ImageLayouts LAYOUTS = TestLayouts.builtIn();
  @TempDir Path temp;

  private ResourceSet read(String yaml) throws IOException {
    return ResourceSet.read(List.of(Files.writeString(temp.resolve("m.yaml"), yaml)), List.of());
  }

  private String error(String yaml, String id) throws IOException {
    ResourceSet resources = read(yaml);
    ModelPackagingSpec packaging = resources.packaging(id).orElseThrow();
    return assertThrows(
            ManifestValidationException.class,
            () ->
                PackagingValidator.validate(
                    packaging,
                    name -> resources.integration(name).or(() -> LAYOUTS.builtInIntegration(name)),
                    resources::connection,
                    target -> false))
        .getMessage();
  }

  @Test
  void idArtifactAndIntegrationAreRequired() throws IOException {
    assertEquals(
        "Validation of model packaging is failed: ID is not valid; empty artifactName; empty integrationName",
        error("kind: ModelPackaging\nid: Bad_ID\nspec: {}\n", "Bad_ID"));
    assertEquals(
        "Validation of model packaging is failed: packaging integration with name .spec.integrationName = \"docker-nope\" is not found",
        error(
            "kind: ModelPackaging\nid: ok\nspec: {artifactName: a.zip, integrationName: docker-nope}\n",
            "ok"));
  }

  @Test
  void argumentsAreCheckedAgainstTheIntegrationsSchema() throws IOException {
    String message =
        error(
            "kind: ModelPackaging\nid: wine\nspec:\n  artifactName: a.zip\n  integrationName: docker-rest\n"
                + "  arguments: {port: \"5000\", workers: 2, unknownArgument: 1}\n",
            "wine");
    assertTrue(
        message.startsWith(
            "Validation of model packaging is failed: argument validation is failed: ["),
        message);
    assertTrue(message.contains("port"), message);
    assertTrue(message.contains("integer"), message);
    assertTrue(message.contains("unknownArgument"), message);
    assertEquals(
        "Validation of model packaging is failed: argument validation is failed:"
            + " [$.javaHome: does not match the regex pattern ^(/.*)?$]",
        error(
            "kind: ModelPackaging\nid: wine\nspec: {artifactName: a.zip, integrationName: docker-cli,"
                + " arguments: {javaHome: usr/lib/jvm/jre}}\n",
            "wine"));
  }

  @Test
  void targetsMustBeKnownAndOfAnAllowedConnectionType() throws IOException {
    String message =
        error(
            "kind: Connection\nid: bucket\nspec: {type: s3, uri: s3://models}\n---\n"
                + "kind: ModelPackaging\nid: wine\nspec:\n  artifactName: a.zip\n  integrationName: docker-rest\n"
                + "  targets:\n    - {name: docker-push, connectionName: bucket}\n"
                + "    - {name: model-storage, connectionName: bucket}\n"
                + "    - {name: docker-pull, connectionName: missing}\n",
            "wine");
    assertEquals(
        "Validation of model packaging is failed: docker-push target has not valid connection type s3 for packaging"
            + " integration docker-rest; cannot find model-storage target in packaging integration docker-rest;"
            + " connection \"missing\" of target docker-pull is not found",
        message);
  }

  @Test
  void requiredTargetsAreFilledFromDefaultsOrReported() throws IOException {
    String integration =
        "kind: PackagingIntegration\nid: custom-rest\nspec:\n  entrypoint: /usr/local/bin/odahu-flow-pack-to-rest\n"
            + "  defaultImage: packager:1\n  schema:\n    targets:\n"
            + "      - {name: docker-push, connectionTypes: [docker, ecr], default: %s, required: true}\n"
            + "    arguments: {properties: []}\n";
    String packaging =
        "---\nkind: ModelPackaging\nid: p\nspec: {artifactName: a.zip, integrationName: custom-rest}\n";
    assertEquals(
        "Validation of model packaging is failed: [docker-push] are required targets",
        error(integration.formatted("\"\"") + packaging, "p"));
    String twoRequired =
        integration.formatted("\"\"")
            + "---\nkind: PackagingIntegration\nid: two-rest\nspec:\n  entrypoint: /bin/x\n"
            + "  defaultImage: packager:1\n  schema:\n    targets:\n"
            + "      - {name: docker-push, connectionTypes: [docker], required: true}\n"
            + "      - {name: docker-pull, connectionTypes: [docker], required: true}\n"
            + "    arguments: {properties: []}\n"
            + "---\nkind: ModelPackaging\nid: q\nspec: {artifactName: a.zip, integrationName: two-rest}\n";
    assertEquals(
        "Validation of model packaging is failed: [docker-push docker-pull] are required targets",
        error(twoRequired, "q"));
    ResourceSet resources =
        read(
            integration.formatted("reg")
                + "---\nkind: Connection\nid: reg\nspec: {type: docker, uri: r.io}\n"
                + packaging);
    var targets =
        PackagingValidator.validate(
            resources.packaging("p").orElseThrow(),
            resources::integration,
            resources::connection,
            target -> false);
    assertEquals("reg", targets.connections().get("docker-push").id());
  }

  @Test
  void integrationRules() throws IOException {
    ResourceSet resources =
        read(
            "kind: PackagingIntegration\nid: Broken\nspec:\n  schema:\n    targets:\n"
                + "      - {name: docker-push, connectionTypes: [ftp]}\n      - {name: x}\n"
                + "    arguments:\n      properties:\n        - name: port\n          parameters:\n"
                + "            - {name: type, value: not-a-type}\n");
    String message =
        assertThrows(
                ManifestValidationException.class,
                () -> PackagingValidator.validate(resources.integration("Broken").orElseThrow()))
            .getMessage();
    assertEquals(
        "Validation of packaging integration is failed: ID is not valid; empty entrypoint;"
            + " empty defaultImage; docker-push target have unknown connection type: ftp;"
            + " x target must have at least one connection type; arguments have not valid json"
            + " schema: [$.properties.port.type: does not have a value in the enumeration"
            + " [\"array\", \"boolean\", \"integer\", \"null\", \"number\", \"object\", \"string\"],"
            + " $.properties.port.type: string found, array expected]",
        message);
  }

  @Test
  void builtInIntegrationsPassTheirOwnRules() {
    LAYOUTS.builtInIntegrations().forEach(PackagingValidator::validate);
  }

  @Test
  void effectiveArgumentsAreDefaultsOverriddenByThePackaging() throws IOException {
    ResourceSet resources =
        read(
            "kind: ModelPackaging\nid: w\nspec: {artifactName: a, integrationName: docker-rest, arguments: {port: 8080}}\n");
    var arguments =
        PackagingValidator.effectiveArguments(
            LAYOUTS.builtInIntegration("docker-rest").orElseThrow(),
            resources.packaging("w").orElseThrow());
    assertEquals(8080, arguments.get("port").asInt());
    assertEquals(60, arguments.get("timeout").asInt());
    assertEquals("0.0.0.0", arguments.get("host").asText());
    assertEquals("{{ Name }}-{{ Version }}:{{ RandomUUID }}", arguments.get("imageName").asText());
  }
}
