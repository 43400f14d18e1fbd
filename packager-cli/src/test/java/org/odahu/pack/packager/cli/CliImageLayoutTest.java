package org.odahu.pack.packager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.layout.ImageLayout;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.layout.LayoutRequest;
import org.odahu.pack.packager.manifest.PackagingValidator;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.run.PackagingPlans;

/** The docker-cli layout as the distribution finds it. */
class CliImageLayoutTest {
  private final ImageLayouts layouts = ImageLayouts.load(getClass().getClassLoader());

  @TempDir Path temp;

  @Test
  void foundThroughServiceLoaderWithAValidBuiltInIntegration() {
    ImageLayout layout = layouts.byId("docker-cli").orElseThrow();
    assertInstanceOf(CliImageLayout.class, layout);
    PackagingValidator.validate(layout.builtInIntegration());
    assertEquals("odahu-pack-to-cli", layout.builtInIntegration().spec().entrypoint());
  }

  @Test
  void theInputMatrixIsListsUnlessThePackagingAsksForArrays() throws IOException {
    assertEquals("lists", inputMatrix("{}"));
    assertEquals("ndarray", inputMatrix("{inputMatrix: ndarray}"));
    PackagingException other =
        assertThrows(PackagingException.class, () -> inputMatrix("{inputMatrix: numpy}"));
    assertTrue(other.getMessage().contains("$.inputMatrix"), other.getMessage());
  }

  /** {@code ODAHU_INPUT_MATRIX} of the image that packaging {@code arguments} plan. */
  private String inputMatrix(String arguments) throws IOException {
    Path manifest =
        Files.writeString(
            temp.resolve("packaging.yaml"),
            "kind: ModelPackaging\nid: p\nspec: {artifactName: simple.zip, integrationName:"
                + " docker-cli, arguments: "
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
                  Map.of()))
          .environment()
          .get("ODAHU_INPUT_MATRIX");
    }
  }
}
