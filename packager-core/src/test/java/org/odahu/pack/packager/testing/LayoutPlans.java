package org.odahu.pack.packager.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.layout.LayoutRequest;
import org.odahu.pack.packager.layout.RuntimeClasses;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.run.PackagingPlans;

/** Image plans of the layouts' tests: what a layout makes of a packaging, without building. */
public final class LayoutPlans {
  /** The classes of the plans' images: with a class-data archive. */
  public static final RuntimeClasses CLASSES =
      new RuntimeClasses(Optional.of("/opt/odahu-pack/class-data/server.jsa"));

  private LayoutPlans() {}

  /**
   * The plan for the {@code simple} example packaged with {@code integration} and {@code arguments}
   * (a YAML flow mapping), labelled with the model's name.
   *
   * @param temp where the packaging manifest is written
   */
  public static ImagePlan simple(
      ImageLayouts layouts, Path temp, String integration, String arguments) throws IOException {
    Path manifest =
        Files.writeString(
            temp.resolve("packaging.yaml"),
            "kind: ModelPackaging\nid: p\nspec: {artifactName: simple.zip, integrationName: "
                + integration
                + ", arguments: "
                + arguments
                + "}\n");
    PackagingPlan packaging =
        new PackagingPlans(layouts)
            .local(ResourceSet.read(List.of(manifest), List.of()), "p", Set.of(), true);
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("simple"))) {
      return layouts
          .byId(packaging.layoutId())
          .orElseThrow()
          .plan(
              new LayoutRequest(
                  artifact,
                  packaging,
                  BaseImage.tarball(temp.resolve("base.tar")),
                  List.of(),
                  CLASSES,
                  Map.of("org.odahu.pack.model.name", "simple"),
                  file -> false));
    }
  }
}
