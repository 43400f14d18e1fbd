package org.odahu.pack.gppi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a {@link ModelBackend} runs a model. Build with {@link #builder()}; every field has a
 * default.
 *
 * @param runtime {@code "cpython"} (worker processes) or {@code "graalpy"} (in-process)
 * @param python the interpreter of CPython workers, e.g. a conda environment's {@code bin/python}
 * @param workers how many workers run the model (each calls {@code init()} once)
 * @param timeout the most one call may take; a worker exceeding it is killed and replaced
 * @param queueCapacity how many calls may wait for a worker before new ones are refused
 * @param batching how requests are merged into model calls
 * @param startTimeout the most a worker may take to import the model and run {@code init()}
 * @param maxFrameBytes the largest message between Java and a worker
 * @param maxRestartDelay the cap of the back-off between restarts of a failing worker
 * @param pingInterval how often an idle worker is pinged, and how long it has to answer before it
 *     counts as wedged and is replaced; zero never pings
 * @param environment extra environment variables for the model code
 * @param listener receives call and worker events
 */
public record BackendOptions(
    String runtime,
    Path python,
    int workers,
    Duration timeout,
    int queueCapacity,
    BatchingPolicy batching,
    Duration startTimeout,
    int maxFrameBytes,
    Duration maxRestartDelay,
    Duration pingInterval,
    Map<String, String> environment,
    BackendListener listener) {

  /** The CPython runtime's name. */
  public static final String CPYTHON = "cpython";

  /** The GraalPy runtime's name. */
  public static final String GRAALPY = "graalpy";

  public BackendOptions {
    List<String> problems = new ArrayList<>();
    if (runtime == null || runtime.isBlank()) {
      problems.add("runtime must be set");
    }
    if (python == null) {
      problems.add("python must be set");
    }
    if (workers < 1) {
      problems.add("workers must be at least 1, got " + workers);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      problems.add("timeout must be positive, got " + timeout);
    }
    if (queueCapacity < 1) {
      problems.add("queue capacity must be at least 1, got " + queueCapacity);
    }
    if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
      problems.add("start timeout must be positive, got " + startTimeout);
    }
    if (pingInterval == null || pingInterval.isNegative()) {
      problems.add("ping interval must not be negative, got " + pingInterval);
    }
    if (maxFrameBytes < 1024) {
      problems.add("max frame size must be at least 1024 bytes, got " + maxFrameBytes);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    environment = Map.copyOf(environment);
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder()
        .runtime(runtime)
        .python(python)
        .workers(workers)
        .timeout(timeout)
        .queueCapacity(queueCapacity)
        .batching(batching)
        .startTimeout(startTimeout)
        .maxFrameBytes(maxFrameBytes)
        .maxRestartDelay(maxRestartDelay)
        .pingInterval(pingInterval)
        .environment(environment)
        .listener(listener);
  }

  /** Builds {@link BackendOptions}; defaults as ODAHU's server where it has one. */
  public static final class Builder {
    private String runtime = CPYTHON;
    private Path python = Path.of("/usr/bin/python3");
    private int workers = 1;
    private Duration timeout = Duration.ofSeconds(60);
    private int queueCapacity = 1024;
    private BatchingPolicy batching = BatchingPolicy.DEFAULT;
    private Duration startTimeout = Duration.ofMinutes(5);
    private int maxFrameBytes = 256 << 20;
    private Duration maxRestartDelay = Duration.ofSeconds(30);
    private Duration pingInterval = Duration.ofSeconds(5);
    private Map<String, String> environment = Map.of();
    private BackendListener listener = BackendListener.NONE;

    private Builder() {}

    public Builder runtime(String runtime) {
      this.runtime = runtime;
      return this;
    }

    public Builder python(Path python) {
      this.python = python;
      return this;
    }

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    public Builder batching(BatchingPolicy batching) {
      this.batching = batching;
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    public Builder maxFrameBytes(int maxFrameBytes) {
      this.maxFrameBytes = maxFrameBytes;
      return this;
    }

    public Builder maxRestartDelay(Duration maxRestartDelay) {
      this.maxRestartDelay = maxRestartDelay;
      return this;
    }

    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
      return this;
    }

    public Builder environment(Map<String, String> environment) {
      this.environment = environment;
      return this;
    }

    public Builder listener(BackendListener listener) {
      this.listener = listener;
      return this;
    }

    public BackendOptions build() {
      return new BackendOptions(
          runtime,
          python,
          workers,
          timeout,
          queueCapacity,
          batching,
          startTimeout,
          maxFrameBytes,
          maxRestartDelay,
          pingInterval,
          environment,
          listener);
    }
  }
}
