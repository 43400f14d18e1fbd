package org.odahu.pack.gppi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.odahu.pack.gppi.cpython.EarlyWorker;

/**
 * How a {@link ModelBackend} runs a model. Build with {@link #builder()}; every field has a
 * default.
 *
 * @param runtime {@code "cpython"} (worker processes) or {@code "graalpy"} (in-process)
 * @param inputMatrix what the model's {@code input_matrix} is: {@code "lists"} (rows as lists of
 *     JSON values, as ODAHU passes them) or {@code "ndarray"} (a matrix whose values are all
 *     numbers as a 2-D float64 {@code numpy.ndarray}, sent to the worker as packed doubles;
 *     anything else still as lists; CPython only)
 * @param python the interpreter of CPython workers, e.g. a conda environment's {@code bin/python}
 * @param workers how many workers run the model (each calls {@code init()} once)
 * @param timeout the most one call may take; a worker exceeding it is killed and replaced
 * @param timeoutCountsQueue whether a call's time limit runs from when it is queued (a client waits
 *     for the queue too: the server) or from when a worker takes it (batch work, which queues only
 *     what the workers can take, so that a worker's restart after a kill is not charged to the next
 *     chunk)
 * @param queueCapacity how many calls may wait for a worker before new ones are refused
 * @param batching whether and how requests are merged into model calls (default: never)
 * @param startTimeout the most a worker may take to import the model and run {@code init()}
 * @param maxFrameBytes the largest message between Java and a worker
 * @param maxRestartDelay the cap of the back-off between restarts of a failing worker
 * @param pingInterval how often an idle worker is pinged; one that does not answer within {@code
 *     timeout} counts as wedged and is replaced; zero never pings
 * @param environment extra environment variables for the model code
 * @param listener receives call and worker events
 * @param earlyWorker a CPython worker process that may have been started before these options were
 *     known, for the first worker to take over if it was started exactly as that worker would be
 *     (default none)
 */
public record BackendOptions(
    String runtime,
    String inputMatrix,
    Path python,
    int workers,
    Duration timeout,
    boolean timeoutCountsQueue,
    int queueCapacity,
    BatchingPolicy batching,
    Duration startTimeout,
    int maxFrameBytes,
    Duration maxRestartDelay,
    Duration pingInterval,
    Map<String, String> environment,
    BackendListener listener,
    EarlyWorker earlyWorker) {

  /** The CPython runtime's name. */
  public static final String CPYTHON = "cpython";

  /** The GraalPy runtime's name. */
  public static final String GRAALPY = "graalpy";

  /** {@code input_matrix} as ODAHU passes it: a list of rows, each a list of JSON values. */
  public static final String LISTS = "lists";

  /** {@code input_matrix} as a 2-D float64 {@code numpy.ndarray} when every value is a number. */
  public static final String NDARRAY = "ndarray";

  /** The runtime unless set. */
  public static final String DEFAULT_RUNTIME = CPYTHON;

  /** The interpreter of CPython workers unless set: Debian's, which has the model libraries. */
  public static final String DEFAULT_PYTHON = "/usr/bin/python3";

  /** Workers unless set. */
  public static final int DEFAULT_WORKERS = 1;

  /** The most workers a command line may ask for: one per CPU, and no machine has more CPUs. */
  public static final int MAX_WORKERS = 1024;

  /** Seconds one call may take unless set (ODAHU's gunicorn {@code --timeout}). */
  public static final long DEFAULT_TIMEOUT_SECONDS = 60;

  /** Calls that may wait for a worker unless set. */
  public static final int DEFAULT_QUEUE_CAPACITY = 1024;

  /** Seconds a worker may take to import the model and run {@code init()} unless set. */
  public static final long DEFAULT_START_TIMEOUT_SECONDS = 300;

  /** Seconds between pings of an idle worker unless set. */
  public static final long DEFAULT_PING_INTERVAL_SECONDS = 5;

  /**
   * Checks every field and reports all problems at once.
   *
   * @throws InvalidOptionsException naming each invalid field by its component name
   */
  public BackendOptions {
    List<InvalidOptionsException.Problem> problems = new ArrayList<>();
    if (runtime == null || runtime.isBlank()) {
      problems.add(problem("runtime", "must be set"));
    }
    if (!LISTS.equals(inputMatrix) && !NDARRAY.equals(inputMatrix)) {
      problems.add(
          problem("inputMatrix", "must be " + LISTS + " or " + NDARRAY + ", got " + inputMatrix));
    } else if (NDARRAY.equals(inputMatrix) && !CPYTHON.equals(runtime)) {
      problems.add(problem("inputMatrix", NDARRAY + " needs the " + CPYTHON + " runtime"));
    }
    if (python == null) {
      problems.add(problem("python", "must be set"));
    }
    if (workers < 1) {
      problems.add(problem("workers", "must be at least 1, got " + workers));
    }
    if (!isPositive(timeout)) {
      problems.add(problem("timeout", "must be positive, got " + seconds(timeout)));
    }
    if (queueCapacity < 1) {
      problems.add(problem("queueCapacity", "must be at least 1, got " + queueCapacity));
    }
    if (batching == null) {
      problems.add(problem("batching", "must be set"));
    }
    if (!isPositive(startTimeout)) {
      problems.add(problem("startTimeout", "must be positive, got " + seconds(startTimeout)));
    }
    if (pingInterval == null || pingInterval.isNegative()) {
      problems.add(problem("pingInterval", "must not be negative, got " + seconds(pingInterval)));
    }
    if (maxFrameBytes < 1024) {
      problems.add(problem("maxFrameBytes", "must be at least 1024 bytes, got " + maxFrameBytes));
    }
    if (maxRestartDelay == null || maxRestartDelay.isNegative()) {
      problems.add(problem("maxRestartDelay", "must not be negative, got " + maxRestartDelay));
    }
    if (environment == null) {
      problems.add(problem("environment", "must be set"));
    }
    if (listener == null) {
      problems.add(problem("listener", "must be set"));
    }
    if (earlyWorker == null) {
      problems.add(problem("earlyWorker", "must be set"));
    }
    InvalidOptionsException.throwIfAny(problems);
    environment = Map.copyOf(environment);
  }

  /**
   * Whether matrices of numbers reach the model as arrays ({@code inputMatrix} {@link #NDARRAY}).
   */
  public boolean ndarray() {
    return NDARRAY.equals(inputMatrix);
  }

  /**
   * Which matrices travel to the workers packed: any numbers for {@link #ndarray()}, numbers
   * written as floats for other CPython workers, none for GraalPy's, which take text.
   */
  public MatrixPacking packing() {
    if (ndarray()) {
      return MatrixPacking.NUMBERS;
    }
    return CPYTHON.equals(runtime) ? MatrixPacking.FLOATS : MatrixPacking.NONE;
  }

  private static InvalidOptionsException.Problem problem(String option, String message) {
    return new InvalidOptionsException.Problem(option, message);
  }

  private static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }

  /** A duration as users set it: whole seconds when it is whole seconds. */
  private static String seconds(Duration duration) {
    if (duration == null) {
      return "nothing";
    }
    return duration.toNanosPart() == 0 ? Long.toString(duration.toSeconds()) : duration.toString();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder()
        .runtime(runtime)
        .inputMatrix(inputMatrix)
        .python(python)
        .workers(workers)
        .timeout(timeout)
        .timeoutCountsQueue(timeoutCountsQueue)
        .queueCapacity(queueCapacity)
        .batching(batching)
        .startTimeout(startTimeout)
        .maxFrameBytes(maxFrameBytes)
        .maxRestartDelay(maxRestartDelay)
        .pingInterval(pingInterval)
        .environment(environment)
        .listener(listener)
        .earlyWorker(earlyWorker);
  }

  /** Builds {@link BackendOptions}; the {@code DEFAULT_*} constants unless set. */
  public static final class Builder {
    private String runtime = DEFAULT_RUNTIME;
    private String inputMatrix = LISTS;
    private Path python = Path.of(DEFAULT_PYTHON);
    private int workers = DEFAULT_WORKERS;
    private Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    private boolean timeoutCountsQueue = true;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private BatchingPolicy batching = BatchingPolicy.DISABLED;
    private Duration startTimeout = Duration.ofSeconds(DEFAULT_START_TIMEOUT_SECONDS);
    private int maxFrameBytes = 256 << 20;
    private Duration maxRestartDelay = Duration.ofSeconds(30);
    private Duration pingInterval = Duration.ofSeconds(DEFAULT_PING_INTERVAL_SECONDS);
    private Map<String, String> environment = Map.of();
    private BackendListener listener = BackendListener.NONE;
    private EarlyWorker earlyWorker = EarlyWorker.NONE;

    private Builder() {}

    public Builder runtime(String runtime) {
      this.runtime = runtime;
      return this;
    }

    public Builder inputMatrix(String inputMatrix) {
      this.inputMatrix = inputMatrix;
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

    public Builder timeoutCountsQueue(boolean timeoutCountsQueue) {
      this.timeoutCountsQueue = timeoutCountsQueue;
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

    public Builder earlyWorker(EarlyWorker earlyWorker) {
      this.earlyWorker = earlyWorker;
      return this;
    }

    public BackendOptions build() {
      return new BackendOptions(
          runtime,
          inputMatrix,
          python,
          workers,
          timeout,
          timeoutCountsQueue,
          queueCapacity,
          batching,
          startTimeout,
          maxFrameBytes,
          maxRestartDelay,
          pingInterval,
          environment,
          listener,
          earlyWorker);
    }
  }
}
