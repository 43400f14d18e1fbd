package org.odahu.pack.pydeps.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** A plan as JSON, for the resolution cache. It holds no credentials: sources are redacted. */
final class PlanCodec {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private PlanCodec() {}

  static String write(DependencyPlan plan) {
    try {
      return JSON.writeValueAsString(plan);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The plan in {@code json}, or empty if it cannot be read (a cache from another version). */
  static Optional<DependencyPlan> read(String json) {
    try {
      return Optional.of(JSON.readValue(json, DependencyPlan.class));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
