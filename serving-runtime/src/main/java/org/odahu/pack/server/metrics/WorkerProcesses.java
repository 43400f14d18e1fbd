package org.odahu.pack.server.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * The JVM's child processes (the Python workers and anything they started) as one sum: how many,
 * their resident memory and the CPU time they used. The CPU total never goes down: the last time
 * seen of a process that exits (a worker replaced after a crash) stays in it, so it is a counter
 * Prometheus can rate across restarts. One sum rather than a series per worker keeps the number of
 * series fixed however often workers are replaced. Thread-safe; a sample is reused for {@code
 * maxAge} so the three meters of one scrape read {@code /proc} once.
 */
final class WorkerProcesses {
  private final ProcFs proc;
  private final Supplier<LongStream> pids;
  private final LongSupplier nanoTime;
  private final long maxAgeNanos;
  private final Map<ProcessKey, Double> lastCpu = new HashMap<>();
  private double exitedCpuSeconds;
  private Sample last;
  private long lastNanos;

  /**
   * @param proc where to read processes' usage
   * @param pids the ids of the processes to sum, read at each sample
   * @param nanoTime the clock deciding when a sample is too old
   * @param maxAge how long a sample is reused
   */
  WorkerProcesses(ProcFs proc, Supplier<LongStream> pids, LongSupplier nanoTime, Duration maxAge) {
    this.proc = proc;
    this.pids = pids;
    this.nanoTime = nanoTime;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** The descendants of this JVM, read from the machine's {@code /proc}. */
  static WorkerProcesses ofThisJvm() {
    return new WorkerProcesses(
        ProcFs.system(),
        () -> ProcessHandle.current().descendants().mapToLong(ProcessHandle::pid),
        System::nanoTime,
        Duration.ofMillis(500));
  }

  /** The processes now, and the CPU time of every process seen so far. */
  synchronized Sample sample() {
    long now = nanoTime.getAsLong();
    if (last != null && now - lastNanos < maxAgeNanos) {
      return last;
    }
    Map<ProcessKey, Double> current = new HashMap<>();
    long resident = 0;
    for (long pid : pids.get().toArray()) {
      ProcFs.Usage usage = proc.usage(pid);
      if (usage != null) {
        current.put(new ProcessKey(pid, usage.startTicks()), usage.cpuSeconds());
        resident += usage.residentBytes();
      }
    }
    for (Map.Entry<ProcessKey, Double> gone : lastCpu.entrySet()) {
      if (!current.containsKey(gone.getKey())) {
        exitedCpuSeconds += gone.getValue();
      }
    }
    lastCpu.clear();
    lastCpu.putAll(current);
    double cpu = exitedCpuSeconds;
    for (double seconds : current.values()) {
      cpu += seconds;
    }
    last = new Sample(current.size(), resident, cpu);
    lastNanos = now;
    return last;
  }

  /** A process, told apart from a later one with the same pid by its start time. */
  private record ProcessKey(long pid, long startTicks) {}

  /**
   * The workers' processes at one moment.
   *
   * @param processes how many are running
   * @param residentBytes their resident memory together
   * @param cpuSeconds the CPU time of every one seen since the server started, exited ones included
   */
  record Sample(int processes, long residentBytes, double cpuSeconds) {}
}
