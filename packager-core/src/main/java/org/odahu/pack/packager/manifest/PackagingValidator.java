package org.odahu.pack.packager.manifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * ODAHU's validation of PackagingIntegration and ModelPackaging resources, with its messages
 * (odahu-flow {@code packaging_integration_validation.go}, {@code model_packaging_validation.go}).
 * Arguments are checked against the integration's JSON schema by a JSON-schema library.
 */
public final class PackagingValidator {
  private static final Pattern ID = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");
  private static final Set<String> CONNECTION_TYPES =
      Set.of("s3", "gcs", "azureblob", "git", "docker", "ecr");
  private static final JsonSchemaFactory SCHEMAS =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

  private PackagingValidator() {}

  /** The JSON schema ODAHU builds from an integration's argument properties. */
  public static ObjectNode argumentsSchema(PackagingIntegrationSpec integration) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode properties = json.objectNode();
    for (PackagingIntegrationSpec.Property property :
        integration.spec().schema().arguments().properties()) {
      ObjectNode keywords = properties.putObject(property.name());
      for (PackagingIntegrationSpec.Parameter parameter : property.parameters()) {
        keywords.set(parameter.name(), parameter.value());
      }
    }
    ArrayNode required = json.arrayNode();
    integration.spec().schema().arguments().required().forEach(required::add);
    ObjectNode schema = json.objectNode().put("type", "object");
    schema.set("properties", properties);
    schema.set("required", required);
    schema.put("additionalProperties", false);
    return schema;
  }

  /** The arguments an integration runs with: its properties' defaults, then the packaging's. */
  public static ObjectNode effectiveArguments(
      PackagingIntegrationSpec integration, ModelPackagingSpec packaging) {
    ObjectNode arguments = JsonNodeFactory.instance.objectNode();
    for (PackagingIntegrationSpec.Property property :
        integration.spec().schema().arguments().properties()) {
      property.parameters().stream()
          .filter(p -> "default".equals(p.name()))
          .findFirst()
          .ifPresent(p -> arguments.set(property.name(), p.value()));
    }
    arguments.setAll(packaging.spec().arguments());
    return arguments;
  }

  /**
   * Checks an integration.
   *
   * @throws ManifestValidationException with every problem, under {@code Validation of packaging
   *     integration is failed: }
   */
  public static void validate(PackagingIntegrationSpec integration) {
    List<String> errors = new ArrayList<>();
    validateId(integration.id(), errors);
    var spec = integration.spec();
    if (isEmpty(spec.entrypoint())) {
      errors.add("empty entrypoint");
    }
    if (isEmpty(spec.defaultImage())) {
      errors.add("empty defaultImage");
    }
    for (PackagingIntegrationSpec.TargetSchema target : spec.schema().targets()) {
      if (isEmpty(target.name())) {
        errors.add("one of target has empty name");
        continue;
      }
      if (target.connectionTypes().isEmpty()) {
        errors.add(target.name() + " target must have at least one connection type");
      }
      for (String type : target.connectionTypes()) {
        if (!CONNECTION_TYPES.contains(type)) {
          errors.add(target.name() + " target have unknown connection type: " + type);
        }
      }
    }
    validateSchema(argumentsSchema(integration), errors);
    fail("Validation of packaging integration is failed: ", errors);
  }

  /** Checks the arguments' schema against JSON Schema draft-07 itself, then compiles it. */
  private static void validateSchema(ObjectNode schema, List<String> errors) {
    Set<ValidationMessage> problems =
        SCHEMAS.getSchema(SchemaLocation.of(SchemaId.V7)).validate(schema);
    if (!problems.isEmpty()) {
      errors.add("arguments have not valid json schema: " + messages(problems));
      return;
    }
    try {
      SCHEMAS.getSchema(schema).initializeValidators();
    } catch (RuntimeException e) {
      errors.add("arguments have not valid json schema: " + e.getMessage());
    }
  }

  private static List<String> messages(Set<ValidationMessage> messages) {
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /** The outcome of validating a packaging: its targets with their connections. */
  public record ValidTargets(Map<String, ConnectionSpec> connections) {}

  /**
   * Checks a packaging against its integration and the known connections, and fills missing targets
   * from the integration's defaults, as ODAHU's API does. Disabled targets are dropped first, as
   * {@code odahuflowctl local pack run} drops them: neither checked, nor filled in, nor required.
   *
   * @param integrations finds an integration by name
   * @param connections finds a connection by id
   * @param disabled whether a target (by name) is disabled
   * @throws ManifestValidationException with every problem, under {@code Validation of model
   *     packaging is failed: }
   */
  public static ValidTargets validate(
      ModelPackagingSpec packaging,
      Function<String, Optional<PackagingIntegrationSpec>> integrations,
      Function<String, Optional<ConnectionSpec>> connections,
      Predicate<String> disabled) {
    List<String> errors = new ArrayList<>();
    validateId(packaging.id(), errors);
    var spec = packaging.spec();
    if (isEmpty(spec.artifactName())) {
      errors.add("empty artifactName");
    }
    Map<String, ConnectionSpec> targets = new LinkedHashMap<>();
    if (isEmpty(spec.integrationName())) {
      errors.add("empty integrationName");
    } else {
      Optional<PackagingIntegrationSpec> integration = integrations.apply(spec.integrationName());
      if (integration.isEmpty()) {
        errors.add(
            "packaging integration with name .spec.integrationName = \""
                + spec.integrationName()
                + "\" is not found");
      } else {
        validateArguments(integration.get(), packaging, errors);
        validateTargets(integration.get(), packaging, connections, disabled, targets, errors);
      }
    }
    fail("Validation of model packaging is failed: ", errors);
    return new ValidTargets(targets);
  }

  private static void validateArguments(
      PackagingIntegrationSpec integration, ModelPackagingSpec packaging, List<String> errors) {
    JsonSchema schema;
    try {
      schema = SCHEMAS.getSchema(argumentsSchema(integration));
    } catch (RuntimeException e) {
      errors.add(
          "argument validation is failed: the integration's schema is invalid: " + e.getMessage());
      return;
    }
    Set<ValidationMessage> messages = schema.validate(packaging.spec().arguments());
    if (!messages.isEmpty()) {
      errors.add("argument validation is failed: " + messages(messages));
    }
  }

  private static void validateTargets(
      PackagingIntegrationSpec integration,
      ModelPackagingSpec packaging,
      Function<String, Optional<ConnectionSpec>> connections,
      Predicate<String> disabled,
      Map<String, ConnectionSpec> resolved,
      List<String> errors) {
    Map<String, PackagingIntegrationSpec.TargetSchema> remaining = new LinkedHashMap<>();
    Map<String, PackagingIntegrationSpec.TargetSchema> required = new LinkedHashMap<>();
    for (PackagingIntegrationSpec.TargetSchema target : integration.spec().schema().targets()) {
      if (disabled.test(target.name())) {
        continue;
      }
      remaining.put(target.name(), target);
      if (target.required()) {
        required.put(target.name(), target);
      }
    }
    for (TargetSpec target : packaging.spec().targets()) {
      if (disabled.test(target.name())) {
        continue;
      }
      required.remove(target.name());
      PackagingIntegrationSpec.TargetSchema schema = remaining.remove(target.name());
      if (schema == null) {
        errors.add(
            "cannot find "
                + target.name()
                + " target in packaging integration "
                + integration.id());
        continue;
      }
      checkConnection(
          target.name(),
          target.connectionName(),
          schema,
          integration,
          connections,
          resolved,
          errors);
    }
    for (PackagingIntegrationSpec.TargetSchema schema : remaining.values()) {
      if (!isEmpty(schema.defaultConnection())) {
        required.remove(schema.name());
        checkConnection(
            schema.name(),
            schema.defaultConnection(),
            schema,
            integration,
            connections,
            resolved,
            errors);
      }
    }
    if (!required.isEmpty()) {
      // Go's %v of a []string, as ODAHU prints it: [docker-push docker-pull]
      errors.add("[" + String.join(" ", required.keySet()) + "] are required targets");
    }
  }

  private static void checkConnection(
      String target,
      String connectionName,
      PackagingIntegrationSpec.TargetSchema schema,
      PackagingIntegrationSpec integration,
      Function<String, Optional<ConnectionSpec>> connections,
      Map<String, ConnectionSpec> resolved,
      List<String> errors) {
    Optional<ConnectionSpec> connection = connections.apply(String.valueOf(connectionName));
    if (connection.isEmpty()) {
      errors.add("connection \"" + connectionName + "\" of target " + target + " is not found");
      return;
    }
    String type = connection.get().spec().type();
    if (!schema.connectionTypes().contains(type)) {
      errors.add(
          target
              + " target has not valid connection type "
              + type
              + " for packaging integration "
              + integration.id());
      return;
    }
    resolved.put(target, connection.get());
  }

  private static void validateId(String id, List<String> errors) {
    if (isEmpty(id)) {
      errors.add("empty \"ID\"");
    } else if (!ID.matcher(id).matches()) {
      errors.add("ID is not valid");
    }
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  private static void fail(String prefix, Collection<String> errors) {
    if (!errors.isEmpty()) {
      throw new ManifestValidationException(prefix + String.join("; ", errors));
    }
  }
}
