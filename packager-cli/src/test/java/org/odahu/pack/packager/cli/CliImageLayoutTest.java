package org.odahu.pack.packager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.odahu.pack.packager.layout.ImageLayout;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.manifest.PackagingValidator;

/** The docker-cli layout as the distribution finds it. */
class CliImageLayoutTest {
  @Test
  void foundThroughServiceLoaderWithAValidBuiltInIntegration() {
    ImageLayout layout =
        ImageLayouts.load(getClass().getClassLoader()).byId("docker-cli").orElseThrow();
    assertInstanceOf(CliImageLayout.class, layout);
    PackagingValidator.validate(layout.builtInIntegration());
    assertEquals("odahu-pack-to-cli", layout.builtInIntegration().spec().entrypoint());
  }
}
