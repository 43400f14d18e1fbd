package org.odahu.pack.packager.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.manifest.PackagingIntegrationSpec;
import org.odahu.pack.packager.testing.TestLayouts;

/** ODAHU's rules for which image an integration builds, over whatever layouts are installed. */
class ImageLayoutsTest {
  private final ImageLayouts layouts = TestLayouts.builtIn();

  private static PackagingIntegrationSpec integration(String id, String entrypoint) {
    return new PackagingIntegrationSpec(
        id, new PackagingIntegrationSpec.Body(entrypoint, "packager:1", false, null));
  }

  private String layoutOf(String id, String entrypoint) {
    return layouts.forIntegration(integration(id, entrypoint)).id();
  }

  @Test
  void anIntegrationIsItsLayoutsByIdElseByItsEntrypointsName() {
    assertEquals("docker-rest", layoutOf("docker-rest", "anything"));
    assertEquals("docker-cli", layoutOf("docker-cli", null));
    assertEquals("docker-rest", layoutOf("flask", "/usr/local/bin/odahu-flow-pack-to-flask"));
    assertEquals("docker-rest", layoutOf("rest", "/usr/local/bin/ODAHU-FLOW-PACK-TO-REST"));
    assertEquals("docker-cli", layoutOf("batch", "/usr/local/bin/odahu-flow-pack-to-cli"));
    // The id decides before the entrypoint does.
    assertEquals("docker-cli", layoutOf("docker-cli", "/usr/local/bin/odahu-flow-pack-to-rest"));
  }

  @Test
  void anIntegrationNoLayoutBuildsIsRefusedNamingTheLayouts() {
    PackagingException e =
        assertThrows(
            PackagingException.class,
            () -> layoutOf("triton", "/usr/local/bin/odahu-flow-pack-to-triton"));
    assertEquals(
        "Packaging integration 'triton' is not supported: odahu-pack builds docker-cli,"
            + " docker-rest images",
        e.getMessage());
  }

  @Test
  void layoutsAreOrderedByIdAndEachBringsItsBuiltInIntegration() {
    assertEquals(
        List.of("docker-cli", "docker-rest"), layouts.all().stream().map(ImageLayout::id).toList());
    assertEquals(
        List.of("docker-cli", "docker-rest"),
        layouts.builtInIntegrations().stream().map(PackagingIntegrationSpec::id).toList());
    assertEquals(
        "odahu-pack-to-rest",
        layouts.builtInIntegration("docker-rest").orElseThrow().spec().entrypoint());
    assertTrue(layouts.builtInIntegration("docker-nope").isEmpty());
  }

  @Test
  void aLayoutWhoseBuiltInIntegrationHasAnotherIdIsAnInstallationError() {
    ImageLayout confused =
        new ImageLayout() {
          @Override
          public String id() {
            return "docker-triton";
          }

          @Override
          public Set<String> entrypointSuffixes() {
            return Set.of("to-triton");
          }

          @Override
          public PackagingIntegrationSpec builtInIntegration() {
            return integration("docker-rest", "odahu-pack-to-image");
          }

          @Override
          public ImagePlan plan(LayoutRequest request) {
            throw new UnsupportedOperationException();
          }
        };
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ImageLayouts.of(confused));
    assertTrue(
        e.getMessage().contains("is docker-triton but its built-in integration is docker-rest"));
  }
}
