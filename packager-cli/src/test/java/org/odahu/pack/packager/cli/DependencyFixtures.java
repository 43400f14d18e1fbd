package org.odahu.pack.packager.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.baseimages.testing.TestBase;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.run.Packager;
import org.odahu.pack.packager.run.PackagingPlans;
import org.odahu.pack.packager.testing.TestLayouts;
import org.odahu.pack.packager.testing.Trees;

/** The {@code deps} test model, docker-cli packagings of it, and what its images hold. */
final class DependencyFixtures {
  private static final PackagingPlans PLANS = new PackagingPlans(TestLayouts.builtIn());

  private DependencyFixtures() {}

  /**
   * A copy of the {@code deps} test model in {@code temp} declaring {@code requirements} in its
   * requirements.txt, or nothing at all when {@code null}.
   */
  static Path depsModel(Path temp, String requirements) throws IOException {
    Path copy = Files.createTempDirectory(temp, "deps-");
    Trees.delete(copy);
    Trees.copy(Examples.testModel("deps"), copy);
    Path file = copy.resolve("odahuflow_model/requirements.txt");
    if (requirements == null) {
      Files.delete(file);
    } else {
      Files.writeString(file, requirements);
    }
    return copy;
  }

  /** A docker-cli packaging written to a tarball, with {@code arguments} (YAML flow entries). */
  static PackagingPlan plan(Path temp, String arguments) throws IOException {
    return read(
        temp,
        "kind: ModelPackaging\nid: deps\nspec: {artifactName: deps, integrationName: docker-cli,"
            + " arguments: {imageName: \"odahu/deps:1.0\", "
            + arguments
            + "}}\n");
  }

  /** A docker-cli packaging pushed to the registry at {@code address}. */
  static PackagingPlan pushPlan(Path temp, String address, String arguments) throws IOException {
    return read(
        temp,
        "kind: Connection\nid: registry\nspec: {type: docker, uri: \""
            + address
            + "/deps\"}\n---\n"
            + "kind: ModelPackaging\nid: deps\nspec: {artifactName: deps, integrationName: docker-cli,"
            + " arguments: {"
            + arguments
            + "}, targets: [{name: docker-push, connectionName: registry}]}\n");
  }

  private static PackagingPlan read(Path temp, String manifests) throws IOException {
    Path file = Files.writeString(Files.createTempFile(temp, "packaging-", ".yaml"), manifests);
    return PLANS.local(ResourceSet.read(List.of(file), List.of()), "deps", Set.of(), false);
  }

  /** A docker-cli packager on the default base. */
  static Packager packager(PackagingListener listener) {
    return TestBase.packager(new CliImageLayout(), listener);
  }

  /** The image's environment, in order. */
  static Map<String, String> environment(ImageTarball image) {
    Map<String, String> environment = new LinkedHashMap<>();
    image
        .config()
        .at("/config/Env")
        .forEach(
            entry -> {
              String text = entry.asText();
              environment.put(
                  text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
            });
    return environment;
  }

  /** The entries of the layer {@code layer} (its name in the tarball), without a leading slash. */
  static Map<String, TarArchiveEntry> layerEntries(Path tarball, String layer) throws IOException {
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream outer =
        new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tarball)))) {
      for (TarArchiveEntry entry = outer.getNextEntry();
          entry != null;
          entry = outer.getNextEntry()) {
        if (entry.getName().replaceFirst("^\\./", "").equals(layer)) {
          TarArchiveInputStream inner =
              new TarArchiveInputStream(
                  GzipCompressorInputStream.builder().setInputStream(outer).get());
          for (TarArchiveEntry file = inner.getNextEntry();
              file != null;
              file = inner.getNextEntry()) {
            entries.put(file.getName().replaceFirst("^\\.?/", "").replaceAll("/$", ""), file);
          }
          return entries;
        }
      }
    }
    throw new AssertionError(layer + " is not in " + tarball);
  }
}
