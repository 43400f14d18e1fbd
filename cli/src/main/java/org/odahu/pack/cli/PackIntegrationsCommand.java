package org.odahu.pack.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.odahu.pack.cli.deploy.DeploymentRequest;
import org.odahu.pack.packager.manifest.PackagingIntegrationSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pack integrations}: the built-in integrations as PackagingIntegration manifests for an
 * ODAHU cluster ({@code odahuflowctl pi create -f}), pointing at a packager image that holds this
 * distribution.
 */
@Command(
    name = "integrations",
    description = {
      "Print the built-in integrations (docker-cli, docker-rest) as PackagingIntegration manifests,"
          + " to register odahu-pack in an ODAHU cluster: odahuflowctl pi create -f FILE."
    })
final class PackIntegrationsCommand implements Callable<Integer> {
  private static final ObjectMapper YAML = new YAMLMapper();

  @Option(
      names = "--image",
      required = true,
      description = "The packager image: a JDK 21+ image with this distribution in --home.")
  String image;

  @Option(
      names = "--home",
      defaultValue = "/opt/odahu-pack",
      description =
          "Where the distribution is in the image, an absolute path (default ${DEFAULT-VALUE}).")
  String home;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    // Both end up in the cluster's manifests, where a mistake shows only when a packaging runs.
    DeploymentRequest.imageProblem(image)
        .ifPresent(
            problem -> {
              throw new CommandLine.ParameterException(spec.commandLine(), problem);
            });
    if (!home.startsWith("/")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--home must be an absolute path in the image, as /opt/odahu-pack, got '" + home + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    for (PackagingIntegrationSpec integration : Packagers.layouts().builtInIntegrations()) {
      out.print(YAML.writeValueAsString(manifest(integration)));
    }
    out.flush();
    return 0;
  }

  /**
   * The integration as a cluster should know it: run from {@code --image}, its targets taking only
   * the connections the packager uses ({@code docker} and {@code ecr}), and docker-push required,
   * as in ODAHU's own integrations: a packaging pod does not keep an image it did not push.
   */
  private ObjectNode manifest(PackagingIntegrationSpec integration) {
    PackagingIntegrationSpec.Body spec = integration.spec();
    List<PackagingIntegrationSpec.TargetSchema> targets =
        spec.schema().targets().stream()
            .map(
                target ->
                    new PackagingIntegrationSpec.TargetSchema(
                        target.name(),
                        target.connectionTypes(),
                        target.defaultConnection(),
                        target.required() || "docker-push".equals(target.name())))
            .toList();
    PackagingIntegrationSpec forCluster =
        new PackagingIntegrationSpec(
            integration.id(),
            new PackagingIntegrationSpec.Body(
                home + "/bin/" + spec.entrypoint(),
                image,
                spec.privileged(),
                new PackagingIntegrationSpec.Schema(targets, spec.schema().arguments())));
    ObjectNode manifest = YAML.createObjectNode().put("kind", PackagingIntegrationSpec.KIND);
    manifest.setAll(YAML.<ObjectNode>valueToTree(forCluster));
    return manifest;
  }
}
