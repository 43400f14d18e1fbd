package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.batch.OutputFile;
import org.odahu.pack.commandline.Converters;
import org.odahu.pack.packager.run.OutputPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deploy manifests}: the Kubernetes objects that run a docker-rest image, as YAML. */
@Command(
    name = "manifests",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Print the manifests that run an image in a cluster (kubectl apply -f -): a docker-rest"
          + " image, or a docker-cli image for job.",
      "Formats: kubernetes (Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget),"
          + " knative (Knative Service), kserve (ServingRuntime and InferenceService),"
          + " job (Indexed Job predicting a file's shards with a docker-cli image).",
      "Monitoring, no --image needed: prometheus-rules (alerting rules, a Prometheus rule file),"
          + " prometheus-operator (the same as a PrometheusRule, and a PodMonitor),"
          + " grafana-dashboard (JSON)."
    })
public final class ManifestsCommand implements Callable<Integer> {
  @Option(
      names = "--image",
      paramLabel = "REF",
      description = "The image (required but for the monitoring formats).")
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
      description = "Objects' name (default: the image's name; odahu-pack for monitoring).")
  String name;

  @Option(
      names = "--replicas",
      converter = Converters.AtLeastZero.class,
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
      converter = Converters.Workers.class,
      description = "Python workers per replica, at most 1024 (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--cpu",
      paramLabel = "CPU",
      converter = CpuConverter.class,
      description = "CPU per replica, e.g. 2 or 500m (default: one per worker).")
  Quantity cpu;

  @Option(
      names = "--memory",
      paramLabel = "MEMORY",
      converter = MemoryConverter.class,
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
      converter = Converters.WholeNumber.class,
      description =
          "The server's port, 1024 or above: the pods run without the capability to bind lower"
              + " ones (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      converter = Converters.AtLeastOne.class,
      description = "Concurrent requests per replica autoscalers aim for (default: 2 per worker).")
  Integer concurrency;

  @Option(
      names = "--service-account",
      paramLabel = "NAME",
      description = "The pods' service account (default: the namespace's).")
  String serviceAccount;

  @Option(
      names = "--image-pull-secret",
      paramLabel = "NAME",
      description =
          "A docker-registry secret to pull the image with (repeatable, or comma-separated).")
  List<String> imagePullSecrets = List.of();

  @Option(
      names = "--input",
      paramLabel = "PATH",
      description = "job: the input file as the pods see it, e.g. /data/requests.jsonl.")
  String input;

  @Option(
      names = "--output-dir",
      paramLabel = "PATH",
      description = "job: where the pods write results-I-of-N.<ext>, e.g. /data/results.")
  String outputDir;

  @Option(
      names = "--completions",
      paramLabel = "N",
      converter = Converters.WholeNumber.class,
      description = "job: the number of shards, one pod each (default 1, at most 100000).")
  Integer completions;

  @Option(
      names = "--parallelism",
      paramLabel = "P",
      converter = Converters.AtLeastOne.class,
      description = "job: shards running at the same time (default: all).")
  Integer parallelism;

  @Option(
      names = "--backoff-limit-per-index",
      converter = Converters.AtLeastZero.class,
      paramLabel = "R",
      defaultValue = "" + BatchJob.DEFAULT_BACKOFF_LIMIT_PER_INDEX,
      description = "job: retries of a failed shard (default ${DEFAULT-VALUE}).")
  int backoffLimitPerIndex;

  @Option(
      names = "--volume-claim",
      paramLabel = "NAME",
      description =
          "job: the PersistentVolumeClaim holding the input and the results (ReadWriteMany when"
              + " the pods run on several nodes at once).")
  String volumeClaim;

  @Option(
      names = "--mount-path",
      paramLabel = "PATH",
      defaultValue = BatchJob.DEFAULT_MOUNT_PATH,
      description = "job: where --volume-claim is mounted (default ${DEFAULT-VALUE}).")
  String mountPath;

  @Parameters(
      paramLabel = "PREDICT_OPTION",
      arity = "0..*",
      description =
          "job, after --: more options of the pods' predict, e.g. -- --on-error skip --timeout 600"
              + " --chunk-rows 5000.")
  List<String> predictOptions = List.of();

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Write one file per object into DIR instead of printing them.")
  Path output;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The request these options describe; a bad combination is a command-line mistake. */
  DeploymentRequest request() {
    if (image == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '--image=REF'");
    }
    long fewest = replicas == null ? 1 : replicas;
    try {
      return new DeploymentRequest(
          image,
          name != null ? name : nameFromImage(),
          replicas,
          maxReplicas != null ? maxReplicas : atMostInt(Math.max(4, 2 * fewest)),
          workers,
          cpu != null ? cpu : new Quantity(Integer.toString(workers)),
          memory != null ? memory : new Quantity(512L * (workers + 1L) + "Mi"),
          (int) timeoutSeconds, // its converter stops at 1,000,000,000
          port,
          concurrency != null ? concurrency : atMostInt(2L * workers),
          batchJob(),
          serviceAccount,
          // Split here, not by picocli, which drops empty names ("a," or ",") without a word.
          imagePullSecrets.stream().flatMap(names -> Stream.of(names.split(",", -1))).toList());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static int atMostInt(long value) {
    return (int) Math.min(Integer.MAX_VALUE, value);
  }

  /**
   * The objects' name when {@code --name} is not given: the image's, which must then be a
   * reference, and whose name must make a DNS label; the error says where the name came from.
   */
  private String nameFromImage() {
    DeploymentRequest.imageProblem(image)
        .ifPresent(
            problem -> {
              throw new CommandLine.ParameterException(spec.commandLine(), problem);
            });
    String derived = DeploymentRequest.nameOf(image);
    if (!DeploymentRequest.isDnsLabel(derived)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "the objects' name is taken from --image when --name is not given, and '"
              + image
              + "' gives '"
              + derived
              + "', not a DNS label (lower-case letters, digits and '-', starting with a letter,"
              + " at most 63 characters): pass --name");
    }
    return derived;
  }

  /** The Job's part of the request; {@code null} unless {@code --format job}. */
  private BatchJob batchJob() {
    if (!(format instanceof JobManifests)) {
      if (!predictOptions.isEmpty()) {
        throw new IllegalArgumentException(
            "options after -- are for the pods of --format job, not " + predictOptions);
      }
      return null;
    }
    int shards = completions == null ? 1 : completions;
    return new BatchJob(
        input,
        outputDir,
        shards,
        parallelism == null ? shards : parallelism,
        backoffLimitPerIndex,
        volumeClaim,
        mountPath,
        predictOptions);
  }

  /** Options every format reads: what to print, and where. */
  private static final Set<String> GENERAL_OPTIONS =
      Set.of("--format", "--name", "--output", "--help", "--version", "--verbose");

  /**
   * Refuses options given on the command line that {@link #format} does not read: a Job's {@code
   * --timeout} or a dashboard's {@code --replicas} would otherwise be accepted and left out.
   */
  private void refuseUnusedOptions() {
    List<String> unused =
        spec.commandLine().getParseResult().matchedOptions().stream()
            .map(CommandLine.Model.OptionSpec::longestName)
            .filter(option -> !GENERAL_OPTIONS.contains(option))
            .filter(option -> !format.options().contains(option))
            .distinct()
            .toList();
    if (unused.isEmpty()) {
      return;
    }
    List<String> hints =
        unused.stream().map(format::unusedOptionHint).filter(h -> !h.isEmpty()).distinct().toList();
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        String.join(", ", unused)
            + (unused.size() == 1 ? " is" : " are")
            + " not used by --format "
            + format.name()
            + (hints.isEmpty() ? "" : ": " + String.join("; ", hints)));
  }

  @Override
  public Integer call() throws IOException {
    refuseUnusedOptions();
    if (format instanceof DocumentFormat document) {
      if (!predictOptions.isEmpty()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "options after -- are for the pods of --format job, not " + predictOptions);
      }
      return print(document, name != null ? name : DocumentFormat.DEFAULT_NAME);
    }
    DeploymentRequest request = request();
    List<String> problems = format.problems(request);
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    Stream.concat(request.warnings().stream(), format.warnings(request).stream())
        .forEach(w -> spec.commandLine().getErr().println("Warning: " + w));
    spec.commandLine().getErr().flush();
    List<HasMetadata> resources = format.resources(request);
    ManifestYaml yaml = new ManifestYaml();
    PrintWriter out = spec.commandLine().getOut();
    if (output == null) {
      resources.forEach(resource -> out.print(yaml.document(resource)));
    } else {
      Map<Path, String> files = new LinkedHashMap<>();
      for (HasMetadata resource : resources) {
        files.put(output.resolve(fileName(resource)), yaml.document(resource));
      }
      write(files).forEach(out::println);
    }
    out.flush();
    return 0;
  }

  /**
   * Writes each text into its file in {@code --output}: all under temporary names first, then each
   * renamed to its own, so a full disk leaves the directory as it was (the temporary files are
   * deleted). A rename that fails (a directory in a file's way) keeps the files renamed before it:
   * each is whole, and they may have replaced an earlier run's, which deleting would not restore.
   *
   * @return the files written, in order
   * @throws IOException naming the file that could not be written and why
   */
  private List<Path> write(Map<Path, String> texts) throws IOException {
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new IllegalArgumentException(
          "--output " + output + " is a file: name a directory for the manifests");
    }
    Files.createDirectories(output);
    List<OutputFile> files = new ArrayList<>();
    Path writing = null;
    // Closing it deletes the temporary files not renamed, as a signal or System.exit would.
    try (ExitCleanup cleanup = ExitCleanup.atExit()) {
      for (Map.Entry<Path, String> text : texts.entrySet()) {
        writing = text.getKey();
        OutputFile file = OutputFile.create(writing, cleanup);
        files.add(file);
        file.stream().write(text.getValue().getBytes(StandardCharsets.UTF_8));
        file.flush();
      }
      for (OutputFile file : files) {
        writing = file.target();
        file.commit();
      }
    } catch (IOException e) {
      throw new IOException("Cannot write " + writing + ": " + OutputPaths.reason(e), e);
    }
    return files.stream().map(OutputFile::target).toList();
  }

  /** Prints {@code document}, or writes it into {@code --output}. */
  private int print(DocumentFormat document, String objectName) throws IOException {
    if (!DeploymentRequest.isDnsLabel(objectName)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--name must be a DNS label (lower-case letters, digits and '-', starting with a letter,"
              + " at most 63 characters), got '"
              + objectName
              + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    String text = document.document(objectName);
    if (output == null) {
      out.print(text);
    } else {
      write(Map.of(output.resolve(document.fileName(objectName)), text)).forEach(out::println);
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
  abstract static class QuantityConverter implements CommandLine.ITypeConverter<Quantity> {
    @Override
    public Quantity convert(String value) {
      Quantity quantity;
      BigDecimal amount;
      try {
        quantity = new Quantity(value);
        amount = Quantity.getAmountInBytes(quantity);
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a Kubernetes quantity (e.g. 500m, 2, 512Mi, 2Gi)");
      }
      if (amount.signum() <= 0) {
        throw new CommandLine.TypeConversionException("must be positive, got '" + value + "'");
      }
      check(value, quantity.getFormat() == null ? "" : quantity.getFormat(), amount);
      return quantity;
    }

    /**
     * Refuses what this kind of quantity cannot be, beyond a positive Kubernetes quantity.
     *
     * @param unit the quantity's suffix ({@code m}, {@code Gi}), or "" for none
     */
    abstract void check(String value, String unit, BigDecimal amount);
  }

  /**
   * {@code --cpu}: cores, whole or in thousandths ({@code 500m}); a byte suffix is a mistake, and
   * so is a part of a thousandth, which Kubernetes does not allow for CPU (it would round it up).
   */
  static final class CpuConverter extends QuantityConverter {
    @Override
    void check(String value, String unit, BigDecimal amount) {
      if (!unit.isEmpty() && !unit.equals("m")) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a number of CPUs: give cores, e.g. 2, 1.5 or 500m");
      }
      if (amount.movePointRight(3).stripTrailingZeros().scale() > 0) {
        throw new CommandLine.TypeConversionException(
            "'"
                + value
                + "' has a part of a thousandth of a CPU (1m), finer than Kubernetes allows: give"
                + " whole thousandths, e.g. 1m or 250m");
      }
    }
  }

  /**
   * {@code --memory}: at least {@link #LEAST}, below which no server starts (the JVM alone takes
   * ~100 MiB); a number without a unit is bytes, which is nearly always a forgotten {@code Mi}.
   */
  static final class MemoryConverter extends QuantityConverter {
    static final Quantity LEAST = new Quantity("128Mi");

    @Override
    void check(String value, String unit, BigDecimal amount) {
      if (amount.compareTo(Quantity.getAmountInBytes(LEAST)) < 0) {
        throw new CommandLine.TypeConversionException(
            "'"
                + value
                + "' is "
                + (unit.isEmpty() ? value + " bytes" : "less than " + LEAST)
                + ": a replica needs at least "
                + LEAST
                + " (the JVM and the Python workers)"
                + (unit.isEmpty() && amount.compareTo(BigDecimal.valueOf(1 << 20)) <= 0
                    ? "; did you mean " + value + "Mi?"
                    : ""));
      }
    }
  }
}
