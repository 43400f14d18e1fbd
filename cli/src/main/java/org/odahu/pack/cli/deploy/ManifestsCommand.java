package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.odahu.pack.commandline.Converters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy manifests}: the Kubernetes objects that run a docker-rest image, as YAML. */
@Command(
    name = "manifests",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Print the manifests that run a docker-rest image in a cluster (kubectl apply -f -).",
      "Formats: kubernetes (Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget),"
          + " knative (Knative Service), kserve (ServingRuntime and InferenceService)."
    })
public final class ManifestsCommand implements Callable<Integer> {
  @Option(names = "--image", required = true, paramLabel = "REF", description = "The image.")
  String image;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "kubernetes",
      converter = ManifestFormats.Converter.class,
      completionCandidates = ManifestFormats.Names.class,
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  ManifestFormat format;

  @Option(
      names = "--name",
      paramLabel = "N",
      description = "Objects' name (default: the image's name).")
  String name;

  @Option(
      names = "--replicas",
      paramLabel = "R",
      description = "Fewest replicas (default 1; knative 0: scale to zero).")
  Integer replicas;

  @Option(
      names = "--max-replicas",
      paramLabel = "R",
      converter = Converters.AtLeastOne.class,
      description = "Most replicas the autoscaler runs (default: 4, or twice --replicas).")
  Integer maxReplicas;

  @Option(
      names = "--workers",
      paramLabel = "W",
      defaultValue = "1",
      converter = Converters.AtLeastOne.class,
      description = "Python workers per replica (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--cpu",
      paramLabel = "CPU",
      converter = QuantityConverter.class,
      description = "CPU per replica, e.g. 2 or 500m (default: one per worker).")
  Quantity cpu;

  @Option(
      names = "--memory",
      paramLabel = "MEMORY",
      converter = QuantityConverter.class,
      description = "Memory per replica, e.g. 2Gi (default: 512Mi per worker plus 512Mi).")
  Quantity memory;

  @Option(
      names = "--timeout",
      defaultValue = "60",
      paramLabel = "SECONDS",
      converter = Converters.PositiveSeconds.class,
      description = "Longest a prediction may take (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "5000",
      converter = Converters.Port.class,
      description = "The server's port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      converter = Converters.AtLeastOne.class,
      description = "Concurrent requests per replica autoscalers aim for (default: 2 per worker).")
  Integer concurrency;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Write one file per object into DIR instead of printing them.")
  Path output;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The request these options describe; a bad combination is a command-line mistake. */
  DeploymentRequest request() {
    int fewest = replicas == null ? 1 : replicas;
    try {
      return new DeploymentRequest(
          image,
          name != null ? name : DeploymentRequest.nameOf(image),
          replicas,
          maxReplicas != null ? maxReplicas : Math.max(4, 2 * fewest),
          workers,
          cpu != null ? cpu : new Quantity(Integer.toString(workers)),
          memory != null ? memory : new Quantity(512 * (workers + 1) + "Mi"),
          Math.toIntExact(timeoutSeconds),
          port,
          concurrency != null ? concurrency : 2 * workers);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  @Override
  public Integer call() throws IOException {
    List<HasMetadata> resources = format.resources(request());
    ManifestYaml yaml = new ManifestYaml();
    PrintWriter out = spec.commandLine().getOut();
    if (output == null) {
      resources.forEach(resource -> out.print(yaml.document(resource)));
    } else {
      Files.createDirectories(output);
      for (HasMetadata resource : resources) {
        Path file = output.resolve(fileName(resource));
        Files.writeString(file, yaml.document(resource), StandardCharsets.UTF_8);
        out.println(file);
      }
    }
    out.flush();
    return 0;
  }

  /** {@code <format>-<name>-<kind>.yaml}: unique across formats, e.g. two kinds named Service. */
  private String fileName(HasMetadata resource) {
    return format.name()
        + "-"
        + resource.getMetadata().getName()
        + "-"
        + resource.getKind().toLowerCase(Locale.ROOT)
        + ".yaml";
  }

  /** A Kubernetes quantity such as {@code 500m} or {@code 2Gi}; it must be positive. */
  static final class QuantityConverter implements CommandLine.ITypeConverter<Quantity> {
    @Override
    public Quantity convert(String value) {
      Quantity quantity = new Quantity(value);
      BigDecimal amount;
      try {
        amount = Quantity.getAmountInBytes(quantity);
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a Kubernetes quantity (e.g. 500m, 2, 512Mi, 2Gi)");
      }
      if (amount.signum() <= 0) {
        throw new CommandLine.TypeConversionException("must be positive, got '" + value + "'");
      }
      return quantity;
    }
  }
}
