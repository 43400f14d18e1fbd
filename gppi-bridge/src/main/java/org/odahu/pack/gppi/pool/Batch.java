package org.odahu.pack.gppi.pool;

import java.util.List;

/** What a free worker takes from the queue: one control call, or predictions to run together. */
sealed interface Batch permits Batch.Control, Batch.Predictions {
  /** The calls of the batch, in queue order. */
  List<? extends Job<?>> jobs();

  default boolean isEmpty() {
    return jobs().isEmpty();
  }

  /** One {@link ControlJob}, which always runs alone. */
  record Control(ControlJob<?> job) implements Batch {
    @Override
    public List<ControlJob<?>> jobs() {
      return List.of(job);
    }
  }

  /** Predictions that may share a model call (one, when merging is off). */
  record Predictions(List<PredictionJob> jobs) implements Batch {
    public Predictions {
      jobs = List.copyOf(jobs);
    }
  }
}
