package org.odahu.pack.packager.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.EcrKeys;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.RegistryCredentials;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.testing.TestLayouts;

/** Local (odahuflowctl) and cluster (mp.json) packaging inputs. */
class PackagingPlansTest {
  private static final PackagingPlans PLANS = new PackagingPlans(TestLayouts.builtIn());
  private static final String CONNECTION =
      "kind: Connection\nid: reg\nspec: {type: docker, uri: registry.example.com/odahu, username: bot, password: c2VjcmV0}\n---\n";

  @TempDir Path temp;

  private ResourceSet read(String yaml) throws IOException {
    return ResourceSet.read(List.of(Files.writeString(temp.resolve("m.yaml"), yaml)), List.of());
  }

  @Test
  void pushTargetWithTheBase64PasswordDecoded() throws IOException {
    ResourceSet resources =
        read(
            CONNECTION
                + "kind: ModelPackaging\nid: w\nspec:\n  artifactName: w.zip\n  integrationName: docker-rest\n"
                + "  targets: [{name: docker-push, connectionName: reg}, {name: docker-pull, connectionName: reg}]\n");
    PackagingPlan plan = PLANS.local(resources, "w", Set.of(), false);
    assertEquals("docker-rest", plan.layoutId());
    assertEquals("registry.example.com/odahu/wine:1", plan.push().imageReference("wine:1"));
    assertEquals(
        new RegistryCredentials("bot", "secret", "the connection 'reg'"),
        plan.push().credentials());
    assertEquals("secret", plan.pull().credentials().password());
    assertTrue(!plan.toString().contains("secret"), plan.toString());
    PackagingPlan withoutPush = PLANS.local(resources, "w", Set.of("docker-push"), false);
    assertNull(withoutPush.push());
    PackagingPlan noTargets = PLANS.local(resources, "w", Set.of(), true);
    assertNull(noTargets.push());
    assertNull(noTargets.pull());
    assertTrue(noTargets.warnings().get(0).startsWith("All targets are disabled"));
  }

  @Test
  void aResourceDefinedInSeveralManifestFilesIsItsLastDefinitionWithAWarning() throws IOException {
    // odahuflowctl keeps each id in a dict as it reads the files: the last definition wins.
    Path first =
        Files.writeString(
            temp.resolve("first.yaml"),
            "kind: Connection\nid: reg\nspec: {type: docker, uri: old.example.com}\n---\n"
                + "kind: ModelPackaging\nid: w\nspec: {artifactName: old.zip, integrationName:"
                + " docker-rest, targets: [{name: docker-push, connectionName: reg}]}\n");
    Path second =
        Files.writeString(
            temp.resolve("second.yaml"),
            "kind: Connection\nid: reg\nspec: {type: docker, uri: new.example.com}\n---\n"
                + "kind: ModelPackaging\nid: w\nspec: {artifactName: new.zip, integrationName:"
                + " docker-rest, targets: [{name: docker-push, connectionName: reg}]}\n");
    PackagingPlan plan =
        PLANS.local(ResourceSet.read(List.of(first, second), List.of()), "w", Set.of(), false);
    assertEquals("new.zip", plan.artifactName());
    assertEquals("new.example.com", plan.push().uri());
    assertEquals(
        List.of(
            "ModelPackaging 'w' is defined 2 times in the manifest files ("
                + first
                + ", "
                + second
                + "): the last one, in "
                + second
                + ", is used, as odahuflowctl does",
            "Connection 'reg' is defined 2 times in the manifest files ("
                + first
                + ", "
                + second
                + "): the last one, in "
                + second
                + ", is used, as odahuflowctl does"),
        plan.warnings());
    PackagingPlan once =
        PLANS.local(ResourceSet.read(List.of(second), List.of()), "w", Set.of(), false);
    assertEquals(List.of(), once.warnings());
  }

  @Test
  void anEcrTargetCarriesItsDecodedKeysAndNoCredentialsUntilPackagingAsksEcr() throws IOException {
    ResourceSet resources =
        read(
            "kind: Connection\nid: aws\nspec: {type: ecr, uri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/odahu,"
                + " keyID: QUtJQUVYQU1QTEU=, keySecret: d0phbHJYVXRuRkVNSQ==, region: eu-west-1}\n---\n"
                + "kind: ModelPackaging\nid: w\nspec: {artifactName: w.zip, integrationName: docker-rest,"
                + " targets: [{name: docker-push, connectionName: aws}, {name: docker-pull, connectionName: aws}]}\n");
    PackagingPlan plan = PLANS.local(resources, "w", Set.of(), false);
    assertNull(plan.push().credentials());
    assertEquals(
        new EcrKeys("aws", "AKIAEXAMPLE", "wJalrXUtnFEMI", "eu-west-1"), plan.push().ecr());
    assertEquals(plan.push().ecr(), plan.pull().ecr());
    assertEquals(
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/odahu/wine:1",
        plan.push().imageReference("wine:1"));
    assertTrue(!plan.toString().contains("wJalrXUtnFEMI"), plan.toString());
    assertTrue(!plan.toString().contains("AKIAEXAMPLE"), plan.toString());
  }

  @Test
  void theReadmesExampleManifestsMakePlans() throws IOException {
    Path examples = Path.of("..", "examples", "packaging");
    PackagingPlan registry =
        PLANS.local(
            ResourceSet.read(List.of(examples.resolve("registry.yaml")), List.of()),
            "wine-push",
            Set.of(),
            false);
    assertEquals(
        new RegistryCredentials("odahu", "odahu-password", "the connection 'my-registry'"),
        registry.push().credentials());
    PackagingPlan ecr =
        PLANS.local(
            ResourceSet.read(List.of(examples.resolve("ecr.yaml")), List.of()),
            "wine-ecr",
            Set.of(),
            false);
    assertEquals(
        new EcrKeys(
            "my-ecr",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "eu-central-1"),
        ecr.push().ecr());
  }

  @Test
  void disabledTargetsAreDroppedBeforeTheirConnectionsAreLookedUp() throws IOException {
    ResourceSet resources =
        read(
            "kind: ModelPackaging\nid: w\nspec:\n  artifactName: w.zip\n  integrationName: docker-rest\n"
                + "  targets: [{name: docker-push, connectionName: absent}]\n");
    PackagingPlan allDisabled = PLANS.local(resources, "w", Set.of(), true);
    assertNull(allDisabled.push());
    assertEquals(
        List.of("All targets are disabled ([docker-push]): the image is written to a tarball"),
        allDisabled.warnings());
    assertNull(PLANS.local(resources, "w", Set.of("docker-push"), false).push());
    assertEquals(
        "Validation of model packaging is failed: connection \"absent\" of target docker-push is not found",
        assertThrows(PackagingException.class, () -> PLANS.local(resources, "w", Set.of(), false))
            .getMessage());
  }

  @Test
  void aDisabledTargetThatNamesNoTargetIsRefusedNotIgnored() throws IOException {
    ResourceSet resources =
        read(
            "kind: ModelPackaging\nid: w\nspec:\n  artifactName: w.zip\n  integrationName: docker-rest\n"
                + "  targets: [{name: docker-push, connectionName: absent}]\n");
    String message =
        assertThrows(
                PackagingException.class,
                () -> PLANS.local(resources, "w", Set.of("docker-psh"), false))
            .getMessage();
    assertTrue(
        message.startsWith(
            "--disable-target docker-psh names no target of packaging 'w' or its integration"
                + " 'docker-rest' (its targets: docker-push"),
        message);
    assertNull(PLANS.local(resources, "w", Set.of("docker-push", "docker-pull"), false).push());
  }

  @Test
  void aDisabledTargetIsNeitherFilledFromItsDefaultNorRequired() throws IOException {
    String integration =
        "kind: PackagingIntegration\nid: custom-rest\nspec:\n  entrypoint: /usr/local/bin/odahu-flow-pack-to-rest\n"
            + "  defaultImage: packager:1\n  schema:\n    targets:\n"
            + "      - {name: docker-push, connectionTypes: [docker], default: %s, required: true}\n"
            + "---\nkind: ModelPackaging\nid: p\nspec: {artifactName: a.zip, integrationName: custom-rest}\n";
    ResourceSet noDefault = read(integration.formatted("\"\""));
    ResourceSet absentDefault = read(integration.formatted("absent"));
    for (ResourceSet resources : List.of(noDefault, absentDefault)) {
      assertNull(PLANS.local(resources, "p", Set.of("docker-push"), false).push());
      assertNull(PLANS.local(resources, "p", Set.of(), true).push());
    }
    assertEquals(
        "Validation of model packaging is failed: [docker-push] are required targets",
        assertThrows(PackagingException.class, () -> PLANS.local(noDefault, "p", Set.of(), false))
            .getMessage());
    assertEquals(
        "Validation of model packaging is failed: connection \"absent\" of target docker-push is not found",
        assertThrows(
                PackagingException.class, () -> PLANS.local(absentDefault, "p", Set.of(), false))
            .getMessage());
  }

  @Test
  void removedCondaArgumentsAreAcceptedWithAWarning() throws IOException {
    ResourceSet resources =
        read(
            "kind: ModelPackaging\nid: w\nspec:\n  artifactName: w.zip\n  integrationName: docker-rest\n"
                + "  arguments: {dockerfileAddCondaInstallation: false, dockerfileCondaEnvsLocation: /opt/conda/envs/}\n");
    PackagingPlan plan = PLANS.local(resources, "w", Set.of(), false);
    assertEquals(2, plan.warnings().size());
    assertTrue(
        plan.warnings().get(0).startsWith("Argument dockerfileAddCondaInstallation is ignored"));
  }

  @Test
  void clearRefusals() throws IOException {
    assertEquals(
        "Model packaging 'nope' is not found in the manifest files",
        assertThrows(
                PackagingException.class,
                () -> PLANS.local(read(CONNECTION), "nope", Set.of(), false))
            .getMessage());
    ResourceSet notEcr =
        read(
            "kind: Connection\nid: aws\nspec: {type: ecr, uri: registry.example.com/odahu}\n---\n"
                + "kind: ModelPackaging\nid: w\nspec: {artifactName: w.zip, integrationName: docker-rest,"
                + " targets: [{name: docker-push, connectionName: aws}]}\n");
    assertEquals(
        "Connection 'aws' is of type ecr, but its uri 'registry.example.com/odahu' names no ECR"
            + " registry (ACCOUNT.dkr.ecr.REGION.amazonaws.com, optionally with a path)",
        assertThrows(PackagingException.class, () -> PLANS.local(notEcr, "w", Set.of(), false))
            .getMessage());
    ResourceSet plain =
        read(
            "kind: Connection\nid: reg\nspec: {type: docker, uri: r.io, username: u, password: 'not base64!'}\n---\n"
                + "kind: ModelPackaging\nid: w\nspec: {artifactName: w.zip, integrationName: docker-cli,"
                + " targets: [{name: docker-push, connectionName: reg}]}\n");
    String message =
        assertThrows(PackagingException.class, () -> PLANS.local(plain, "w", Set.of(), false))
            .getMessage();
    assertTrue(message.contains("is not base64-encoded"), message);
    assertTrue(!message.contains("not base64!"), message);
  }

  @Test
  void clusterResourceFileWithPlainSecrets() throws IOException {
    Path mp =
        Files.writeString(
            temp.resolve("mp.json"),
            """
            {"modelPackaging": {"id": "wine-rest", "spec": {"artifactName": "wine.zip", "integrationName": "docker-rest",
               "arguments": {"port": 8000, "imageName": "{{ Name }}:{{ Version }}"}}},
             "packagingIntegration": {"id": "docker-rest", "spec": {"entrypoint": "/usr/local/bin/odahu-flow-pack-to-rest",
               "defaultImage": "odahu/odahu-flow-packagers:1.5", "schema": {"arguments": {"properties": [
                 {"name": "timeout", "parameters": [{"name": "type", "value": "integer"}, {"name": "default", "value": 60}]}]}}}},
             "trainingZipName": "wine.zip",
             "targets": [{"name": "docker-push", "connection": {"id": "reg", "spec": {"type": "docker",
               "uri": "registry.example.com/odahu", "username": "bot", "password": "plain-secret"}}}]}
            """);
    PackagingPlan plan = PLANS.cluster(mp);
    assertEquals("docker-rest", plan.layoutId());
    assertEquals(8000, plan.integer("port", 5000));
    assertEquals(60, plan.integer("timeout", 1));
    assertEquals("plain-secret", plan.push().credentials().password());
    plan.arguments().put("port", 1);
    assertEquals(8000, plan.integer("port", 5000), "the plan hands out a copy of its arguments");
    assertEquals(8000, plan.arguments().get("port").asInt());

    // An ecr connection's keys are plain in mp.json too.
    Path ecr =
        Files.writeString(
            temp.resolve("ecr.json"),
            Files.readString(mp)
                .replace("\"type\": \"docker\"", "\"type\": \"ecr\"")
                .replace(
                    "\"uri\": \"registry.example.com/odahu\", \"username\": \"bot\", \"password\"",
                    "\"uri\": \"123456789012.dkr.ecr.us-east-1.amazonaws.com/odahu\","
                        + " \"keyID\": \"AKIAEXAMPLE\", \"keySecret\""));
    assertEquals(
        new EcrKeys("reg", "AKIAEXAMPLE", "plain-secret", ""), PLANS.cluster(ecr).push().ecr());
  }

  @Test
  void aBrokenResourceFileIsReportedWithoutTheTokenWhichMayBeAPlainSecret() throws IOException {
    // Neither JSON nor YAML (no plain scalar starts with @): JSON's parser, whose file it looks
    // like, locates the problem.
    Path mp =
        Files.writeString(
            temp.resolve("mp.json"),
            "{\"targets\": [{\"name\": \"docker-push\", \"connection\":\n"
                + "  {\"spec\": {\"type\": \"docker\", \"password\": @s3cr3tPa55word}}}]}\n");
    String message = assertThrows(PackagingException.class, () -> PLANS.cluster(mp)).getMessage();
    assertEquals(
        "Cannot read the packaging resource file " + mp + ": cannot be parsed at line 2, column 43",
        message);
  }

  private static final String CLUSTER_PACKAGING =
      """
      {"modelPackaging": {"id": "p", "spec": {"artifactName": "simple.zip", "integrationName": "docker-rest",
         "arguments": {"imageName": "{{ Name }}:1"}}},
       "packagingIntegration": {"id": "docker-rest", "spec": {"entrypoint": "odahu-flow-pack-to-rest",
         "defaultImage": "packager:1"}},
       "targets": %s}
      """;

  private static final String PUSH_TARGET =
      "{\"name\": \"docker-push\", \"connection\": {\"id\": \"%s\", \"spec\": {\"type\":"
          + " \"docker\", \"uri\": \"%s.example.com\", \"username\": \"u\", \"password\": \"p\"}}}";

  private String refused(String targets) throws IOException {
    Path mp = Files.writeString(temp.resolve("mp.json"), CLUSTER_PACKAGING.formatted(targets));
    return assertThrows(PackagingException.class, () -> PLANS.cluster(mp))
        .getMessage()
        .replace(mp.toString(), "MP");
  }

  /** As ODAHU's pydantic K8sPackager: a target that cannot push is refused, not ignored. */
  @Test
  void targetsThatCannotBeReadAreRefusedNotIgnored() throws IOException {
    assertEquals(
        "Invalid packaging resource file MP: targets: expected an array, got an object",
        refused("{\"docker-push\": " + PUSH_TARGET.formatted("reg", "r") + "}"));
    assertEquals(
        "Invalid packaging resource file MP: targets[0].name is missing (expected a string)",
        refused("[{\"Name\": \"docker-push\", \"connection\": {\"spec\": {}}}]"));
    assertEquals(
        "Invalid packaging resource file MP: targets[0].name: expected a string, got a number",
        refused("[{\"name\": 1, \"connection\": {\"spec\": {}}}]"));
    assertEquals(
        "Invalid packaging resource file MP: targets[1].connection is missing (expected an"
            + " object)",
        refused("[" + PUSH_TARGET.formatted("reg", "r") + ", {\"name\": \"docker-pull\"}]"));
    assertEquals(
        "Invalid packaging resource file MP: targets[0].connection: expected an object, got null",
        refused("[{\"name\": \"docker-push\", \"connection\": null}]"));
    assertEquals(
        "Invalid packaging resource file MP: targets[0]: expected an object, got a string",
        refused("[\"docker-push\"]"));
  }

  @Test
  void aConnectionOfTheWrongShapeIsReportedWithoutItsValue() throws IOException {
    String secret = "docker://odahu:hunter2-secret@registry.example.com";
    String message =
        refused("[{\"name\": \"docker-push\", \"connection\": {\"spec\": \"" + secret + "\"}}]");
    assertEquals(
        "Invalid packaging resource file MP: targets[0].connection.spec: expected an object, got a"
            + " string",
        message);
    assertTrue(!message.contains("hunter2"), message);
    String password =
        refused(
            "[{\"name\": \"docker-push\", \"connection\": {\"spec\": {\"password\": {\"value\":"
                + " \"hunter2-secret\"}}}}]");
    assertEquals(
        "Invalid packaging resource file MP: targets[0].connection.spec.password: expected a"
            + " string, got an object",
        password);
  }

  /** A cluster's arguments are not checked against the schema: no default replaces them. */
  @Test
  void aTextArgumentOfAnotherJsonTypeIsRefusedNotReplacedByItsDefault() throws IOException {
    Path mp =
        Files.writeString(
            temp.resolve("mp.json"),
            CLUSTER_PACKAGING
                .formatted("[]")
                .replace("\"{{ Name }}:1\"", "{\"template\": \"{{ Name }}:1\"}"));
    PackagingPlan plan = PLANS.cluster(mp);
    assertEquals(
        "Argument imageName must be a string, got an object",
        assertThrows(PackagingException.class, () -> plan.text("imageName", "default:1"))
            .getMessage());
    assertEquals(
        "1.5",
        PLANS
            .cluster(
                Files.writeString(
                    mp, CLUSTER_PACKAGING.formatted("[]").replace("\"{{ Name }}:1\"", "1.5")))
            .text("imageName", "x"));
  }

  @Test
  void ofTwoPushTargetsTheFirstCountsAsInOdahu() throws IOException {
    Path mp =
        Files.writeString(
            temp.resolve("mp.json"),
            CLUSTER_PACKAGING.formatted(
                "["
                    + PUSH_TARGET.formatted("first", "one")
                    + ", "
                    + PUSH_TARGET.formatted("second", "two")
                    + "]"));
    assertEquals("one.example.com/x:1", PLANS.cluster(mp).push().imageReference("x:1"));
  }

  /** ODAHU's parse_resource_file: json.loads, else yaml.safe_load. */
  @Test
  void aYamlResourceFileAndAJsonOneWithAByteOrderMarkAreRead() throws IOException {
    Path yaml =
        Files.writeString(
            temp.resolve("mp.yaml"),
            """
            modelPackaging:
              id: p
              spec: {artifactName: simple.zip, integrationName: docker-cli}
            packagingIntegration:
              id: docker-cli
              spec: {entrypoint: odahu-flow-pack-to-cli, defaultImage: "packager:1"}
            targets:
              - name: docker-push
                connection: {id: reg, spec: {type: docker, uri: r.example.com}}
            """);
    PackagingPlan fromYaml = PLANS.cluster(yaml);
    assertEquals("docker-cli", fromYaml.layoutId());
    assertEquals("r.example.com/x:1", fromYaml.push().imageReference("x:1"));
    Path bom =
        Files.writeString(
            temp.resolve("bom.json"),
            "\uFEFF" + CLUSTER_PACKAGING.formatted("[" + PUSH_TARGET.formatted("reg", "r") + "]"));
    assertEquals("r.example.com/x:1", PLANS.cluster(bom).push().imageReference("x:1"));
  }

  @Test
  void aMissingOrOversizedResourceFileIsSaidSo() throws IOException {
    Path missing = temp.resolve("absent.json");
    assertEquals(
        "The packaging resource file " + missing + " is not found",
        assertThrows(PackagingException.class, () -> PLANS.cluster(missing)).getMessage());
    Path huge = temp.resolve("huge.json");
    try (OutputStream out = Files.newOutputStream(huge)) {
      byte[] spaces = new byte[1 << 20];
      Arrays.fill(spaces, (byte) ' ');
      for (int mebibyte = 0; mebibyte <= 16; mebibyte++) {
        out.write(spaces);
      }
    }
    assertEquals(
        "The packaging resource file "
            + huge
            + " is larger than 16 MiB, which no K8sPackager resource is",
        assertThrows(PackagingException.class, () -> PLANS.cluster(huge)).getMessage());
  }
}
