package org.odahu.pack.packager.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.odahu.pack.packager.EcrKeys;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.RegistryCredentials;
import org.odahu.pack.packager.RegistryTarget;
import org.odahu.pack.packager.image.EcrLogin;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.manifest.ConnectionSpec;
import org.odahu.pack.packager.manifest.FieldProblems;
import org.odahu.pack.packager.manifest.ModelPackagingSpec;
import org.odahu.pack.packager.manifest.PackagingIntegrationSpec;
import org.odahu.pack.packager.manifest.PackagingValidator;
import org.odahu.pack.packager.manifest.ResourceSet;

/**
 * Turns ODAHU resources into a {@link PackagingPlan}, from local manifests or a cluster's mp.json:
 * integrations that no manifest defines are the layouts' built-in ones, and each plan names the
 * layout that builds it.
 */
public final class PackagingPlans {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ECR = "ecr";

  /** The largest mp.json read: ODAHU's are a few KiB. */
  private static final int MAX_RESOURCE_FILE = 16 << 20;

  private static final String BYTE_ORDER_MARK = "\uFEFF";
  private static final List<String> REMOVED_ARGUMENTS =
      List.of("dockerfileAddCondaInstallation", "dockerfileCondaEnvsLocation");

  private final ImageLayouts layouts;

  /** Plans for the images {@code layouts} build. */
  public PackagingPlans(ImageLayouts layouts) {
    this.layouts = layouts;
  }

  /**
   * As {@code odahuflowctl local pack run}: finds the packaging, its integration (a manifest's,
   * else a built-in one) and connections in the manifests, validates them with ODAHU's rules and
   * applies the target switches.
   *
   * @param resources what the manifest files hold
   * @param packagingId the ModelPackaging id
   * @param disabledTargets targets to drop ({@code --disable-target}) before their connections are
   *     looked up, and not filled in from the integration's defaults
   * @param disableAllTargets drop every target, looking none up (ODAHU's deprecated implicit
   *     default)
   */
  public PackagingPlan local(
      ResourceSet resources,
      String packagingId,
      Set<String> disabledTargets,
      boolean disableAllTargets) {
    ModelPackagingSpec packaging =
        resources
            .packaging(packagingId)
            .orElseThrow(
                () ->
                    new PackagingException(
                        "Model packaging '"
                            + packagingId
                            + "' is not found in the manifest files"));
    String integrationName = packaging.spec().integrationName();
    Optional<PackagingIntegrationSpec> fromManifests =
        integrationName == null ? Optional.empty() : resources.integration(integrationName);
    fromManifests.ifPresent(PackagingValidator::validate);
    fromManifests
        .or(() -> layouts.builtInIntegration(integrationName))
        .ifPresent(known -> checkDisabledTargets(disabledTargets, packaging, known));
    // As odahuflowctl: disabled targets are dropped before anything is looked up.
    Predicate<String> disabled =
        target -> disableAllTargets || (target != null && disabledTargets.contains(target));
    Set<String> connectionsUsed = new LinkedHashSet<>();
    var targets =
        PackagingValidator.validate(
            packaging,
            name -> resources.integration(name).or(() -> layouts.builtInIntegration(name)),
            name -> {
              connectionsUsed.add(name);
              return resources.connection(name);
            },
            disabled);
    PackagingIntegrationSpec integration =
        fromManifests.or(() -> layouts.builtInIntegration(integrationName)).orElseThrow();
    List<String> warnings = new ArrayList<>();
    resources.duplicate(ModelPackagingSpec.KIND, packagingId).ifPresent(warnings::add);
    if (fromManifests.isPresent()) {
      resources.duplicate(PackagingIntegrationSpec.KIND, integrationName).ifPresent(warnings::add);
    }
    connectionsUsed.forEach(
        name -> resources.duplicate(ConnectionSpec.KIND, name).ifPresent(warnings::add));
    warnings.addAll(removedArgumentWarnings(packaging));
    if (disableAllTargets) {
      Set<String> dropped = declaredTargets(packaging, integration);
      if (!dropped.isEmpty()) {
        warnings.add(
            "All targets are disabled (" + dropped + "): the image is written to a tarball");
      }
    }
    return plan(packaging, integration, targets.connections(), true, warnings);
  }

  /**
   * Refuses a {@code --disable-target} that names no target of the packaging or its integration: a
   * mistyped {@code docker-psh} would otherwise leave the push it meant to drop.
   */
  private static void checkDisabledTargets(
      Set<String> disabledTargets,
      ModelPackagingSpec packaging,
      PackagingIntegrationSpec integration) {
    Set<String> known = declaredTargets(packaging, integration);
    integration.spec().schema().targets().forEach(target -> known.add(target.name()));
    List<String> unknown = disabledTargets.stream().filter(t -> !known.contains(t)).toList();
    if (!unknown.isEmpty()) {
      throw new PackagingException(
          "--disable-target "
              + String.join(", ", unknown)
              + " names no target of packaging '"
              + packaging.id()
              + "' or its integration '"
              + integration.id()
              + "' (its targets: "
              + String.join(", ", known)
              + ")");
    }
  }

  /** The targets a packaging names, and those its integration fills in by default. */
  private static Set<String> declaredTargets(
      ModelPackagingSpec packaging, PackagingIntegrationSpec integration) {
    Set<String> names = new LinkedHashSet<>();
    packaging.spec().targets().forEach(target -> names.add(target.name()));
    integration.spec().schema().targets().stream()
        .filter(
            target -> target.defaultConnection() != null && !target.defaultConnection().isEmpty())
        .forEach(target -> names.add(target.name()));
    return names;
  }

  /**
   * As ODAHU's packager process reads it in a cluster: the K8sPackager JSON ({@code mp.json}) with
   * the packaging, its integration and the targets' connections, secrets in plain text. As ODAHU's
   * {@code parse_resource_file}, it may also be YAML. Of several targets with one name, the first
   * counts, as in ODAHU's packagers.
   */
  public PackagingPlan cluster(Path mpJson) {
    JsonNode root = readResourceFile(mpJson);
    ModelPackagingSpec packaging =
        field(mpJson, root.path("modelPackaging"), "modelPackaging", ModelPackagingSpec.class);
    PackagingIntegrationSpec integration =
        field(
            mpJson,
            root.path("packagingIntegration"),
            "packagingIntegration",
            PackagingIntegrationSpec.class);
    if (packaging == null || integration == null) {
      throw new PackagingException(mpJson + " lacks modelPackaging or packagingIntegration");
    }
    return plan(
        packaging,
        integration,
        connections(mpJson, root.path("targets")),
        false,
        removedArgumentWarnings(packaging));
  }

  /**
   * The connections of mp.json's {@code targets} by target name, as ODAHU's pydantic K8sPackager
   * reads them: a list of {@code {name, connection}}, a string and an object; other shapes are
   * refused, since an ignored docker-push target would lose the image.
   */
  private static Map<String, ConnectionSpec> connections(Path mpJson, JsonNode targets) {
    Map<String, ConnectionSpec> connections = new LinkedHashMap<>();
    if (!targets.isMissingNode() && !targets.isNull() && !targets.isArray()) {
      throw invalid(mpJson, FieldProblems.mismatch("targets", "an array", targets));
    }
    for (int index = 0; index < targets.size(); index++) {
      String path = "targets[" + index + "]";
      JsonNode target = targets.get(index);
      if (!target.isObject()) {
        throw invalid(mpJson, FieldProblems.mismatch(path, "an object", target));
      }
      if (!target.path("name").isTextual()) {
        throw invalid(
            mpJson, FieldProblems.mismatch(path + ".name", "a string", target.path("name")));
      }
      if (!target.path("connection").isObject()) {
        throw invalid(
            mpJson,
            FieldProblems.mismatch(path + ".connection", "an object", target.path("connection")));
      }
      ConnectionSpec connection =
          field(mpJson, target.path("connection"), path + ".connection", ConnectionSpec.class);
      connections.putIfAbsent(target.path("name").asText(), connection); // the first counts
    }
    return connections;
  }

  /** The tree of a resource file of at most {@link #MAX_RESOURCE_FILE} bytes, JSON or YAML. */
  private static JsonNode readResourceFile(Path mpJson) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(mpJson)) {
      bytes = in.readNBytes(MAX_RESOURCE_FILE + 1);
    } catch (NoSuchFileException e) {
      throw new PackagingException("The packaging resource file " + mpJson + " is not found");
    } catch (IOException e) {
      throw cannotRead(mpJson, e);
    }
    if (bytes.length > MAX_RESOURCE_FILE) {
      throw new PackagingException(
          "The packaging resource file "
              + mpJson
              + " is larger than "
              + (MAX_RESOURCE_FILE >> 20)
              + " MiB, which no K8sPackager resource is");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    try {
      return ResourceSet.parseJsonOrYaml(
          text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text);
    } catch (IOException e) {
      throw cannotRead(mpJson, e);
    }
  }

  /**
   * The resource file could not be read or parsed. Its connections' secrets are in plain text: the
   * parser's words (which may quote a token) are left out.
   */
  private static PackagingException cannotRead(Path mpJson, IOException e) {
    return new PackagingException(
        "Cannot read the packaging resource file " + mpJson + ": " + ResourceSet.syntaxProblem(e));
  }

  /** {@code node}, at {@code path} in {@code mpJson}, as a {@code type}; null when missing. */
  private static <T> T field(Path mpJson, JsonNode node, String path, Class<T> type) {
    try {
      return JSON.treeToValue(node, type);
    } catch (IOException e) {
      // Not chained: Jackson's message quotes the value, which may be a secret.
      throw invalid(mpJson, FieldProblems.of(e, node, path));
    }
  }

  private static PackagingException invalid(Path mpJson, String problem) {
    return new PackagingException("Invalid packaging resource file " + mpJson + ": " + problem);
  }

  private PackagingPlan plan(
      ModelPackagingSpec packaging,
      PackagingIntegrationSpec integration,
      Map<String, ConnectionSpec> targets,
      boolean base64Secrets,
      List<String> warnings) {
    return new PackagingPlan(
        packaging.id(),
        packaging.spec().artifactName(),
        integration.id(),
        layouts.forIntegration(integration).id(),
        PackagingValidator.effectiveArguments(integration, packaging),
        push(targets.get("docker-push"), base64Secrets),
        pull(targets.get("docker-pull"), base64Secrets),
        warnings);
  }

  private static List<String> removedArgumentWarnings(ModelPackagingSpec packaging) {
    List<String> warnings = new ArrayList<>();
    for (String removed : REMOVED_ARGUMENTS) {
      if (packaging.spec().arguments().has(removed)) {
        warnings.add(
            "Argument "
                + removed
                + " is ignored: ODAHU removed conda installation from its docker packagers;"
                + " odahu-pack installs the model's pip dependencies as wheels in a layer of"
                + " their own");
      }
    }
    return warnings;
  }

  private static RegistryTarget push(ConnectionSpec connection, boolean base64Secrets) {
    if (connection == null) {
      return null;
    }
    requireRegistry(connection);
    if (connection.spec().uri() == null || connection.spec().uri().isBlank()) {
      throw new PackagingException(
          "Connection '" + connection.id() + "' has no uri (the registry to push to)");
    }
    return target(connection, base64Secrets);
  }

  /**
   * A {@code docker} or {@code ecr} Connection read from manifest files (secrets base64-encoded, as
   * {@code pack run} reads them) as a registry and its credentials or keys, e.g. to push a base
   * image with.
   *
   * @throws PackagingException if it is neither, or a secret is not base64
   */
  public static RegistryTarget localConnection(ConnectionSpec connection) {
    return pull(connection, true);
  }

  private static RegistryTarget pull(ConnectionSpec connection, boolean base64Secrets) {
    if (connection == null) {
      return null;
    }
    requireRegistry(connection);
    return target(connection, base64Secrets);
  }

  private static void requireRegistry(ConnectionSpec connection) {
    String type = connection.spec().type();
    if (!"docker".equals(type) && !ECR.equals(type)) {
      throw new PackagingException(
          "Connection '" + connection.id() + "' is of type " + type + ", not docker or ecr");
    }
  }

  /**
   * A docker connection's registry and credentials, or an ecr connection's registry and keys, with
   * which packaging asks ECR for credentials once it knows the image.
   */
  private static RegistryTarget target(ConnectionSpec connection, boolean base64Secrets) {
    ConnectionSpec.Body spec = connection.spec();
    if (!ECR.equals(spec.type())) {
      return new RegistryTarget(spec.uri(), credentials(connection, base64Secrets));
    }
    EcrLogin.checkUri(connection.id(), spec.uri());
    EcrKeys keys =
        new EcrKeys(
            connection.id(),
            secret(connection, "keyID", spec.keyId(), base64Secrets),
            secret(connection, "keySecret", spec.keySecret(), base64Secrets),
            spec.region());
    return new RegistryTarget(spec.uri(), null, keys);
  }

  private static RegistryCredentials credentials(ConnectionSpec connection, boolean base64Secrets) {
    String username = connection.spec().username();
    String password = connection.spec().password();
    if ((username == null || username.isEmpty()) && (password == null || password.isEmpty())) {
      return null;
    }
    password = secret(connection, "password", password, base64Secrets);
    return new RegistryCredentials(
        username == null ? "" : username,
        password,
        RegistryCredentials.connection(connection.id()));
  }

  /** A secret of {@code connection}'s spec, base64-decoded when manifests hold it so. */
  private static String secret(
      ConnectionSpec connection, String field, String value, boolean base64Secrets) {
    if (value == null) {
      return "";
    }
    if (!base64Secrets) {
      return value;
    }
    try {
      return new String(Base64.getDecoder().decode(value.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new PackagingException(
          "Connection '"
              + connection.id()
              + "': spec."
              + field
              + " is not base64-encoded, as ODAHU's connection manifests store secrets");
    }
  }
}
