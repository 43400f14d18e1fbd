package org.odahu.pack.pydeps.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import org.odahu.pack.pydeps.index.PackageFinder;

/**
 * Canonical JSON (map keys sorted, no whitespace) and its sha256: the cache keys. Callers build the
 * value from maps, lists and strings only, never from anything holding a credential.
 */
public final class CanonicalJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private CanonicalJson() {}

  /** The canonical text of {@code value}. */
  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not serialisable: " + e.getMessage(), e);
    }
  }

  /** The sha256 (hex) of {@code value}'s canonical text. */
  public static String sha256(Object value) {
    return PackageFinder.sha256(write(value).getBytes(StandardCharsets.UTF_8));
  }
}
