package org.odahu.pack.cli.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.UncheckedIOException;

/** Kubernetes objects as YAML documents, as {@code kubectl apply -f} reads them. */
public final class ManifestYaml {
  private final ObjectMapper yaml =
      new YAMLMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              // A string such as "5000" or "true" stays quoted: Kubernetes wants strings there.
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  /** One document, starting with {@code ---}. */
  public String document(HasMetadata resource) {
    try {
      return yaml.writeValueAsString(resource);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
