package org.odahu.pack.packager.layout;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.odahu.pack.packager.manifest.PackagingIntegrationSpec;

/** Reads a layout's built-in PackagingIntegration manifest from its resources. */
final class BuiltInIntegration {
  private BuiltInIntegration() {}

  /** The integration in resource {@code name}, relative to {@code owner}'s package. */
  static PackagingIntegrationSpec read(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            owner.getName() + " has no " + name + " next to it: its built-in integration");
      }
      return new YAMLMapper().readValue(in, PackagingIntegrationSpec.class);
    } catch (IOException e) {
      throw new UncheckedIOException(owner.getName() + "'s " + name + " is unreadable", e);
    }
  }
}
