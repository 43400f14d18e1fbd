package org.odahu.pack.packager;

/**
 * How a container's memory is shared between the server's JVM and its Python workers. Each worker
 * (CPython with numpy, pandas and scikit-learn, plus the model) needs far more than the JVM's
 * non-heap memory, so the heap's share of the container shrinks as workers are added: {@code 60 -
 * 10 × workers} percent of the container's limit, between 10 and 50. The JVM applies the share to
 * the cgroup limit it finds at start ({@code -XX:MaxRAMPercentage}), so one setting fits every
 * container size.
 *
 * <p>For a 1 GiB container: 1 worker gives a 512 MiB heap, 2 workers 410 MiB, 4 workers 205 MiB.
 */
public final class MemoryBudget {
  private MemoryBudget() {}

  /** The percentage of the container's memory limit the JVM heap may take. */
  public static int heapPercentage(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    return Math.max(10, Math.min(50, 60 - 10 * workers));
  }

  /** The JVM option that applies {@link #heapPercentage(int)}. */
  public static String heapOption(int workers) {
    return "-XX:MaxRAMPercentage=" + heapPercentage(workers);
  }
}
