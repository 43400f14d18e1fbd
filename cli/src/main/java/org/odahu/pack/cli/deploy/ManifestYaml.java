package org.odahu.pack.cli.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/** Kubernetes objects as YAML documents, as {@code kubectl apply -f} reads them. */
public final class ManifestYaml {
  private final ObjectMapper yaml =
      new YAMLMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              // A string such as "5000" or "true" stays quoted: Kubernetes wants strings there.
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .stringQuotingChecker(new Yaml11Strings())
              .build());

  /**
   * Also quotes the strings YAML 1.1 readers (PyYAML, Ansible) take for something else: base-60
   * numbers ({@code 1:20} is 80), dates and times, the keys {@code =} and {@code <<}, and line
   * breaks of YAML 1.1 only (U+0085, U+2028, U+2029), which a plain scalar folds into a space.
   */
  private static final class Yaml11Strings extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;
    private static final Pattern SEXAGESIMAL =
        Pattern.compile("[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?");

    /**
     * A YAML 1.1 timestamp: a date, or a date and a time ({@code 2001-12-14t21:59:43.10-05:00}).
     */
    private static final Pattern TIMESTAMP =
        Pattern.compile(
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|\\s+[0-9]).*|[0-9]{4}-[0-9]{2}-[0-9]{2}");

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value)
          || value.equals("=") // YAML 1.1's value key
          || value.equals("<<") // its merge key
          || SEXAGESIMAL.matcher(value).matches()
          || TIMESTAMP.matcher(value).matches()
          || value.chars().anyMatch(c -> c == 0x85 || c == 0x2028 || c == 0x2029);
    }
  }

  /** One document, starting with {@code ---}. */
  public String document(HasMetadata resource) {
    try {
      return yaml.writeValueAsString(resource);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
