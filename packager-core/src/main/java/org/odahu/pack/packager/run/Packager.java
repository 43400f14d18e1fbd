package org.odahu.pack.packager.run;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.odahu.pack.artifact.ArtifactException;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.archive.ArchiveException;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.RegistryTarget;
import org.odahu.pack.packager.deps.DependencyLayer;
import org.odahu.pack.packager.deps.ModelDependencies;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.BaseResolver;
import org.odahu.pack.packager.image.ClassDataArchive;
import org.odahu.pack.packager.image.ClassPathJar;
import org.odahu.pack.packager.image.EcrLogin;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.image.JavaRuntime;
import org.odahu.pack.packager.image.Layers;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.image.ResolvedBase;
import org.odahu.pack.packager.layout.ImageLayout;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.layout.ImageParts;
import org.odahu.pack.packager.layout.LayoutRequest;
import org.odahu.pack.packager.layout.RuntimeClasses;
import org.odahu.pack.packager.manifest.ImageNameTemplate;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;

/**
 * Packages a model artifact into an image: validates the artifact as ODAHU's packagers do, picks
 * the base, assembles the shared layers (Java runtime unless the base has one, runtime jars), adds
 * the model's own Python dependencies as a layer when the base lacks some, lets the plan's {@link
 * ImageLayout} add the model and say how the image runs, builds with Jib, runs the model's
 * self-check inside the image, and pushes it or writes a tarball.
 */
public final class Packager {
  private final PackagerSettings settings;
  private final ImageLayouts layouts;
  private final ExitCleanup cleanup;
  private final PackagingListener listener;
  private final EcrLogin ecr = new EcrLogin();

  /**
   * @param settings how the packager runs on this machine
   * @param layouts the images it can build
   * @param cleanup the program's cleanup: an extracted archive goes however the program ends
   * @param listener receives progress
   */
  public Packager(
      PackagerSettings settings,
      ImageLayouts layouts,
      ExitCleanup cleanup,
      PackagingListener listener) {
    this.settings = settings;
    this.layouts = layouts;
    this.cleanup = cleanup;
    this.listener = listener;
  }

  /**
   * Where the image goes without a push target.
   *
   * @param tarball the tarball to write
   * @param format Docker ({@code docker load}) or OCI
   */
  public record TarballOutput(Path tarball, ImageFormat format) {}

  /** Packages the artifact at {@code artifactPath} as {@code plan} says, writing no result.json. */
  public PackagingResult pack(Path artifactPath, PackagingPlan plan, TarballOutput output) {
    return pack(artifactPath, plan, output, null);
  }

  /**
   * Packages the artifact at {@code artifactPath} as {@code plan} says, and writes ODAHU's {@code
   * result.json} ({@code {"image": "<name>"}}) into {@code resultDirectory}: before the tarball is
   * renamed into place, so that a result that cannot be written leaves the file at the tarball's
   * path as it was; after the push, when pushed.
   *
   * @param resultDirectory an existing directory, or {@code null} for no result.json
   */
  public PackagingResult pack(
      Path artifactPath, PackagingPlan plan, TarballOutput output, Path resultDirectory) {
    return pack(artifactPath, plan, output, resultDirectory, List.of());
  }

  /**
   * As {@link #pack(Path, PackagingPlan, TarballOutput, Path)}, leaving {@code manifests}, the
   * files the packaging was read from (they may hold a registry's password), out of the image when
   * they are in the artifact's directory.
   */
  public PackagingResult pack(
      Path artifactPath,
      PackagingPlan plan,
      TarballOutput output,
      Path resultDirectory,
      Collection<Path> manifests) {
    plan.warnings().forEach(listener::warning);
    ImageLayout layout =
        layouts
            .byId(plan.layoutId())
            .orElseThrow(
                () -> new PackagingException("No image layout for " + plan.layoutId() + " images"));
    layout.checkArguments(plan);
    if (plan.push() == null) {
      OutputPaths.checkTarball(output.tarball()); // before anything is read or built
    }
    String template = plan.text("imageName", ImageNameTemplate.DEFAULT);
    ImageNameTemplate imageNameTemplate = ImageNameTemplate.parse(template);
    listener.step("Reading the model artifact " + artifactPath);
    try (ModelArtifact artifact = ModelArtifact.open(artifactPath, cleanup);
        ExitCleanup.TemporaryDirectory work = workDirectory()) {
      List<String> problems = artifact.manifest().packagingProblems();
      if (!problems.isEmpty()) {
        throw new PackagingException(String.join("; ", problems));
      }
      var model = artifact.manifest().model();
      // Checked before the base image, the dependencies and the build: a wrong name fails at once.
      String imageName =
          ImageNames.reference(
              template,
              imageNameTemplate.render(
                  model.name(), model.version(), () -> UUID.randomUUID().toString()),
              plan.push());
      PackagingPlan logged = ecrLogin(plan, imageName);
      ImageDelivery delivery = new ImageDelivery(settings, listener, cleanup);
      ResolvedBase base =
          new BaseResolver(listener, settings.version())
              .resolve(base(logged), settings.allowInsecureRegistries());
      // Before the dependencies and the build (the base is resolved, or built once per machine).
      delivery.checkPushTarget(logged, imageName);
      Map<String, String> labels = ImageLabels.of(logged, artifact, base, settings.version());
      List<Path> others = new ArrayList<>(manifests);
      if (resultDirectory != null) {
        others.add(resultDirectory.resolve(ResultFile.NAME));
      }
      Predicate<Path> packagingFiles =
          OutputPaths.packagingFiles(
              artifact.root(), logged.push() == null ? output.tarball() : null, others);
      return assemble(
              layout, artifact, logged, work, delivery, base.image(), labels, packagingFiles)
          .deliver(delivery, logged, imageName, output, resultDirectory);
    } catch (IOException e) {
      throw new PackagingException("Packaging failed: " + e.getMessage(), e);
    } catch (ArtifactException | ArchiveException e) {
      throw new PackagingException(e.getMessage(), e);
    }
  }

  /** An image ready to build, and how to check it. */
  private record Assembly(ImagePlan image, ImageDelivery.SelfCheck check) {
    PackagingResult deliver(
        ImageDelivery delivery,
        PackagingPlan plan,
        String imageName,
        TarballOutput output,
        Path resultDirectory)
        throws IOException {
      return delivery.deliver(image, plan, imageName, output, check, resultDirectory);
    }
  }

  /**
   * The image's plan: base, shared layers, the model's Python dependencies when the base lacks some
   * (their layer below the model's, their variables in the environment), the layout's part, which
   * leaves out the artifact's {@code packagingFiles}.
   */
  private Assembly assemble(
      ImageLayout layout,
      ModelArtifact artifact,
      PackagingPlan plan,
      ExitCleanup.TemporaryDirectory work,
      ImageDelivery delivery,
      BaseImage base,
      Map<String, String> labels,
      Predicate<Path> packagingFiles)
      throws IOException {
    Shared shared = shared(plan, work);
    List<FileEntriesLayer> layers = new ArrayList<>(shared.layers());
    ModelDependencies dependencies =
        ModelDependencies.forPackaging(
            settings.cacheDirectory(), settings.dependencies(), plan, listener);
    DeclaredDependencies declared = dependencies.declared(artifact);
    Optional<DependencyLayer> dependencyLayer = Optional.empty();
    if (!declared.isEmpty()) {
      base = local(base, work, delivery);
      dependencyLayer = dependencies.layer(declared, base.tarball());
      dependencyLayer.ifPresent(layer -> layers.add(layer.layer()));
    }
    ImagePlan image =
        layout
            .plan(
                new LayoutRequest(
                    artifact, plan, base, layers, shared.classes(), labels, packagingFiles))
            .withEnvironment(dependencyLayer.map(DependencyLayer::environment).orElse(Map.of()));
    return new Assembly(
        image,
        new ImageDelivery.SelfCheck(
            ImageParts.selfCheck(plan, shared.classes(), image, artifact),
            image.layers().size() - shared.layers().size()));
  }

  /** Where a pulled base goes for this packaging (in the cache, which has room for images). */
  private ExitCleanup.TemporaryDirectory workDirectory() throws IOException {
    Path jib = Files.createDirectories(settings.cacheDirectory().resolve("jib"));
    return cleanup.newTemporaryDirectory(jib, "packaging-");
  }

  /**
   * The base as a local tarball, to read its files: a registry base is pulled once through Jib (its
   * layers stay in Jib's cache) and the image is built on that very pull.
   */
  private BaseImage local(
      BaseImage base, ExitCleanup.TemporaryDirectory work, ImageDelivery delivery)
      throws IOException {
    if (base.tarball() != null) {
      return base;
    }
    listener.step("Pulling the base image " + base + " to read what it provides");
    Path pulled = work.path().resolve("base.tar");
    work.write(() -> delivery.builder().pull(base, pulled, settings.allowInsecureRegistries()));
    return BaseImage.tarball(pulled);
  }

  /**
   * {@code plan} with the login token of an {@code ecr} push target, its repository created (before
   * anything slow starts: wrong keys fail at once).
   */
  private PackagingPlan ecrLogin(PackagingPlan plan, String imageName) {
    RegistryTarget push = plan.push();
    if (push == null || push.ecr() == null) {
      return plan;
    }
    listener.step(
        "Asking ECR for a login token to push "
            + imageName
            + " (its repository created if missing)");
    return plan.withTargets(
        push.withCredentials(ecr.credentials(push.ecr(), imageName, true)), plan.pull());
  }

  private BaseImage base(PackagingPlan plan) {
    String baseArgument = plan.text("dockerfileBaseImage", "");
    BaseImage base =
        baseArgument.isEmpty() ? settings.defaultBase().get() : BaseImage.parse(baseArgument);
    listener.step("Base image: " + base);
    RegistryTarget pull = plan.pull();
    if (base.reference() == null
        || pull == null
        || (pull.credentials() == null && pull.ecr() == null)) {
      return base;
    }
    if (pull.serves(base.reference())) {
      if (pull.ecr() != null) {
        listener.step("Asking ECR for a login token to pull " + base.reference());
        return BaseImage.registry(
            base.reference(), ecr.credentials(pull.ecr(), base.reference(), false));
      }
      return BaseImage.registry(base.reference(), pull.credentials());
    }
    listener.warning(
        pull.registry()
                .map(
                    registry ->
                        "The docker-pull connection is for the registry " + registry + " (its uri)")
                .orElse("The docker-pull connection's uri names no registry host")
            + ", so its credentials are not sent to the base image's registry: "
            + base.reference()
            + " is pulled without them");
    return base;
  }

  /** The layers every image shares, and where its Java finds its classes. */
  private record Shared(List<FileEntriesLayer> layers, RuntimeClasses classes) {}

  /**
   * The Java runtime layer (unless the base image has its own runtime), the runtime jars with the
   * jar that names them, then with odahu-pack's runtime the class-data archive dumped for both.
   */
  private Shared shared(PackagingPlan plan, ExitCleanup.TemporaryDirectory work)
      throws IOException {
    List<Path> jars = settings.runtimeJars();
    List<Path> classPath = new ArrayList<>(jars);
    work.write(() -> classPath.add(ClassPathJar.write(work.path(), jars)));
    FileEntriesLayer jarsLayer = Layers.files("runtime-jars", classPath, ImageParts.LIB);
    Optional<String> baseJava = ImageParts.baseJavaHome(plan);
    if (baseJava.isPresent()) {
      // A base image's Java is not the JVM an archive would be dumped by.
      listener.step("Java runtime: the base image's, in " + baseJava.get());
      return new Shared(List.of(jarsLayer), new RuntimeClasses(Optional.empty()));
    }
    Path jre = JavaRuntime.ensure(settings.cacheDirectory(), listener, cleanup);
    Path archive = ClassDataArchive.ensure(settings.cacheDirectory(), jre, jars, listener, cleanup);
    return new Shared(
        List.of(
            Layers.directory("java-runtime", jre, ImageParts.JAVA_HOME, Set.of()),
            jarsLayer,
            Layers.files("class-data", List.of(archive), ImageParts.CLASS_DATA)),
        new RuntimeClasses(Optional.of(ImageParts.CLASS_DATA + "/" + ClassDataArchive.FILE_NAME)));
  }

  /**
   * Writes ODAHU's {@code result.json}: {@code {"image": "<name>"}}, under a temporary name first,
   * so that a failed write leaves the file that was there.
   */
  public static Path writeResult(Path directory, String image) {
    try (ExitCleanup cleanup = ExitCleanup.manual()) {
      return ResultFile.write(directory, image, cleanup);
    }
  }
}
