package org.odahu.pack.packager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.odahu.pack.artifact.ArtifactException;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.BuiltImage;
import org.odahu.pack.packager.image.ImageBuilder;
import org.odahu.pack.packager.image.ImageDestination;
import org.odahu.pack.packager.image.JavaRuntime;
import org.odahu.pack.packager.image.Layers;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.manifest.ImageNameTemplate;

/**
 * Packages a model artifact into an image: validates the artifact as ODAHU's packagers do, picks
 * the base, assembles the layers (Java runtime unless the base has one, runtime jars, model),
 * builds with Jib and pushes it or writes a tarball.
 */
public final class Packager {
  /** Files of an artifact directory that never go into an image (mp.json holds secrets). */
  public static final Set<String> NOT_MODEL_FILES = Set.of("mp.json", "result.json");

  private final PackagerSettings settings;
  private final Map<ImageKind, ImageLayout> layouts = new LinkedHashMap<>();
  private final PackagingListener listener;

  public Packager(
      PackagerSettings settings, List<ImageLayout> layouts, PackagingListener listener) {
    this.settings = settings;
    layouts.forEach(layout -> this.layouts.put(layout.kind(), layout));
    this.listener = listener;
  }

  /**
   * Where the image goes without a push target.
   *
   * @param tarball the tarball to write
   * @param format Docker ({@code docker load}) or OCI
   */
  public record TarballOutput(Path tarball, ImageFormat format) {}

  /** Packages the artifact at {@code artifactPath} as {@code plan} says. */
  public PackagingResult pack(Path artifactPath, PackagingPlan plan, TarballOutput output) {
    plan.warnings().forEach(listener::warning);
    ImageLayout layout = layouts.get(plan.kind());
    if (layout == null) {
      throw new PackagingException("No image layout for " + plan.kind() + " images");
    }
    listener.step("Reading the model artifact " + artifactPath);
    try (ModelArtifact artifact = ModelArtifact.open(artifactPath)) {
      List<String> problems = artifact.manifest().packagingProblems();
      if (!problems.isEmpty()) {
        throw new PackagingException(String.join("; ", problems));
      }
      var model = artifact.manifest().model();
      String imageName =
          ImageNameTemplate.render(
              plan.text("imageName", ImageNameTemplate.DEFAULT),
              model.name(),
              model.version(),
              () -> UUID.randomUUID().toString());
      String baseArgument = plan.text("dockerfileBaseImage", "");
      BaseImage base =
          baseArgument.isEmpty()
              ? settings.defaultBase().get()
              : BaseImage.parse(baseArgument, plan.pullCredentials());
      listener.step("Base image: " + base);
      List<FileEntriesLayer> runtime = runtimeLayers(plan);
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("org.odahu.pack.model.name", model.name());
      labels.put("org.odahu.pack.model.version", model.version());
      labels.put("org.odahu.pack.integration", plan.integrationId());
      labels.put("org.odahu.pack.version", settings.version());
      var imagePlan = layout.plan(artifact, plan, base, runtime, labels);
      ImageDestination destination;
      Path tarball = null;
      if (plan.push() != null) {
        destination =
            new ImageDestination.Registry(
                plan.push().imageReference(imageName),
                plan.push().credentials(),
                settings.allowInsecureRegistries());
        listener.step("Building " + destination.reference() + " and pushing it");
      } else {
        tarball = output.tarball();
        Files.createDirectories(tarball.toAbsolutePath().getParent());
        destination = new ImageDestination.Tarball(imageName, tarball, output.format());
        listener.step(
            "Building " + imageName + " into " + tarball + " (" + output.format() + " format)");
      }
      BuiltImage built =
          new ImageBuilder(settings.cacheDirectory().resolve("jib"), listener, settings.version())
              .build(imagePlan, destination);
      listener.step("Built " + built.reference() + " (" + built.digest() + ")");
      return new PackagingResult(built, tarball);
    } catch (IOException e) {
      throw new PackagingException("Packaging failed: " + e.getMessage(), e);
    } catch (ArtifactException e) {
      throw new PackagingException(e.getMessage(), e);
    }
  }

  /** The Java runtime layer (unless the base image has its own runtime), then the runtime jars. */
  private List<FileEntriesLayer> runtimeLayers(PackagingPlan plan) {
    List<FileEntriesLayer> layers = new ArrayList<>();
    Optional<String> baseJava = ImageLayout.baseJavaHome(plan);
    if (baseJava.isPresent()) {
      listener.step("Java runtime: the base image's, in " + baseJava.get());
    } else {
      Path jre = JavaRuntime.ensure(settings.cacheDirectory(), listener);
      layers.add(Layers.directory("java-runtime", jre, ImageLayout.JAVA_HOME, Set.of()));
    }
    layers.add(Layers.files("runtime-jars", settings.runtimeJars(), ImageLayout.LIB));
    return layers;
  }

  /** Writes ODAHU's {@code result.json}: {@code {"image": "<name>"}}. */
  public static Path writeResult(Path directory, String image) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode result = json.createObjectNode().put("image", image);
    Path file = directory.resolve("result.json");
    try {
      Files.writeString(file, json.writeValueAsString(result));
      return file;
    } catch (IOException e) {
      throw new PackagingException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
