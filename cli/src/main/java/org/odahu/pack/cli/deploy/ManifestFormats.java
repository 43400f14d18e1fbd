package org.odahu.pack.cli.deploy;

import java.util.Iterator;
import java.util.List;
import picocli.CommandLine;

/** Every {@link ManifestFormat}, by name: the one place a new format is added. */
public final class ManifestFormats {
  private static final List<ManifestFormat> ALL =
      List.of(
          new KubernetesManifests(),
          new KnativeManifests(),
          new KServeManifests(),
          new JobManifests(),
          new PrometheusRules(),
          new PrometheusOperatorRules(),
          new GrafanaDashboard());

  private ManifestFormats() {}

  /** All formats, in the order the help lists them. */
  public static List<ManifestFormat> all() {
    return ALL;
  }

  /** Converts {@code --format} values; an unknown one is a command-line mistake. */
  static final class Converter implements CommandLine.ITypeConverter<ManifestFormat> {
    @Override
    public ManifestFormat convert(String value) {
      for (ManifestFormat format : ALL) {
        if (format.name().equals(value)) {
          return format;
        }
      }
      throw new CommandLine.TypeConversionException(
          "must be one of " + String.join(", ", names()) + ", got '" + value + "'");
    }
  }

  /** The names, for completion and the help. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }
  }

  private static List<String> names() {
    return ALL.stream().map(ManifestFormat::name).toList();
  }
}
