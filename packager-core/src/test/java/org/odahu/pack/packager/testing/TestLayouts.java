package org.odahu.pack.packager.testing;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.layout.ImageLayout;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.layout.LayoutRequest;
import org.odahu.pack.packager.manifest.PackagingIntegrationSpec;

/**
 * Stand-ins for the docker-rest and docker-cli layouts, whose modules build after this one: same
 * ids, entrypoint endings and built-in integrations (read from those modules' sources), no images.
 */
public final class TestLayouts {
  private TestLayouts() {}

  /** docker-cli and docker-rest, as the distribution has them. */
  public static ImageLayouts builtIn() {
    return ImageLayouts.of(
        new Stand("docker-rest", Set.of("to-rest", "to-flask"), "packager-rest", "rest"),
        new Stand("docker-cli", Set.of("to-cli"), "packager-cli", "cli"));
  }

  private record Stand(String id, Set<String> entrypointSuffixes, String module, String pkg)
      implements ImageLayout {
    @Override
    public PackagingIntegrationSpec builtInIntegration() {
      Path file =
          Examples.projectRoot()
              .resolve(module)
              .resolve("src/main/resources/org/odahu/pack/packager")
              .resolve(pkg)
              .resolve("integration.yaml");
      try {
        return new YAMLMapper().readValue(file.toFile(), PackagingIntegrationSpec.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public ImagePlan plan(LayoutRequest request) {
      throw new UnsupportedOperationException("a stand-in builds no image");
    }
  }
}
