package org.odahu.pack.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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
      description = "Where the distribution is in the image (default ${DEFAULT-VALUE}).")
  String home;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    for (PackagingIntegrationSpec integration : Packagers.layouts().builtInIntegrations()) {
      out.print(YAML.writeValueAsString(manifest(integration)));
    }
    out.flush();
    return 0;
  }

  private ObjectNode manifest(PackagingIntegrationSpec integration) {
    ObjectNode manifest = YAML.createObjectNode().put("kind", PackagingIntegrationSpec.KIND);
    manifest.setAll(YAML.<ObjectNode>valueToTree(integration));
    ((ObjectNode) manifest.get("spec"))
        .put("entrypoint", home + "/bin/" + integration.spec().entrypoint())
        .put("defaultImage", image);
    return manifest;
  }
}
