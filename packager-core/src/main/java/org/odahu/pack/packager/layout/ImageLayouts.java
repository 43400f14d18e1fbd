package org.odahu.pack.packager.layout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.manifest.PackagingIntegrationSpec;

/**
 * The image layouts a program can build, and ODAHU's rules for which one an integration means: the
 * layout whose id is the integration's id, else the one its entrypoint's name ends like ({@code
 * odahu-flow-pack-to-flask} is docker-rest's).
 */
public final class ImageLayouts {
  private final List<ImageLayout> layouts;
  private final List<PackagingIntegrationSpec> builtIns;

  private ImageLayouts(List<ImageLayout> layouts) {
    this.layouts = layouts.stream().sorted(Comparator.comparing(ImageLayout::id)).toList();
    List<PackagingIntegrationSpec> integrations = new ArrayList<>();
    for (ImageLayout layout : this.layouts) {
      PackagingIntegrationSpec integration = layout.builtInIntegration();
      if (!layout.id().equals(integration.id())) {
        throw new IllegalStateException(
            layout.getClass().getName()
                + " is "
                + layout.id()
                + " but its built-in integration is "
                + integration.id());
      }
      integrations.add(integration);
    }
    this.builtIns = List.copyOf(integrations);
  }

  /** The layouts on {@code loader}'s class path ({@code META-INF/services}). */
  public static ImageLayouts load(ClassLoader loader) {
    List<ImageLayout> found = new ArrayList<>();
    ServiceLoader.load(ImageLayout.class, loader).forEach(found::add);
    return new ImageLayouts(found);
  }

  /** Exactly these layouts. */
  public static ImageLayouts of(ImageLayout... layouts) {
    return new ImageLayouts(List.of(layouts));
  }

  /** Every layout, by id. */
  public List<ImageLayout> all() {
    return layouts;
  }

  /** The layout with this id. */
  public Optional<ImageLayout> byId(String id) {
    return layouts.stream().filter(layout -> layout.id().equals(id)).findFirst();
  }

  /** Every layout's built-in integration, by id. */
  public List<PackagingIntegrationSpec> builtInIntegrations() {
    return builtIns;
  }

  /** The built-in integration {@code id}. */
  public Optional<PackagingIntegrationSpec> builtInIntegration(String id) {
    return builtIns.stream().filter(integration -> integration.id().equals(id)).findFirst();
  }

  /** The layout that builds {@code integration}'s images; refuses an integration none builds. */
  public ImageLayout forIntegration(PackagingIntegrationSpec integration) {
    Optional<ImageLayout> byId = byId(String.valueOf(integration.id()));
    if (byId.isPresent()) {
      return byId.get();
    }
    String entrypoint = String.valueOf(integration.spec().entrypoint()).toLowerCase(Locale.ROOT);
    List<ImageLayout> matching =
        layouts.stream()
            .filter(layout -> layout.entrypointSuffixes().stream().anyMatch(entrypoint::endsWith))
            .toList();
    if (matching.size() == 1) {
      return matching.get(0);
    }
    throw new PackagingException(
        "Packaging integration '"
            + integration.id()
            + "' is not supported: odahu-pack builds "
            + layouts.stream().map(ImageLayout::id).collect(Collectors.joining(", "))
            + " images"
            + (matching.isEmpty() ? "" : " (its entrypoint matches several)"));
  }
}
