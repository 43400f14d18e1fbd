package org.odahu.pack.server.metrics;

import com.sun.management.UnixOperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process metrics operators look for under their usual Prometheus names ({@code
 * process_cpu_seconds_total}, {@code process_resident_memory_bytes}, {@code process_open_fds}...)
 * and the same for the model's worker processes ({@code odahu_worker_*}), read from {@code /proc}.
 * Meters the platform cannot provide are left out.
 */
public final class ProcessMetrics implements MeterBinder {
  private final ProcFs proc;
  private final WorkerProcesses workers;

  /** This JVM and its child processes. */
  public ProcessMetrics() {
    this(ProcFs.system(), WorkerProcesses.ofThisJvm());
  }

  ProcessMetrics(ProcFs proc, WorkerProcesses workers) {
    this.proc = proc;
    this.workers = workers;
  }

  /**
   * Renames or drops the meters of Micrometer's own binders whose Prometheus names break its
   * conventions: {@code process_cpu_time_ns_total} (an abbreviated unit; replaced by {@code
   * process_cpu_seconds_total}) and the gauge {@code system_cpu_count} (a {@code _count} suffix
   * belongs to histograms), which becomes {@code jvm_available_processors}. Configure it before any
   * meter is registered.
   */
  public static MeterFilter conventionalNames() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count")
            ? id.withName("jvm.available.processors")
            : id;
      }

      @Override
      public MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals("process.cpu.time")
            ? MeterFilterReply.DENY
            : MeterFilterReply.NEUTRAL;
      }
    };
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean jvm
        && jvm.getProcessCpuTime() >= 0) {
      FunctionCounter.builder("process.cpu", jvm, b -> b.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time the server's JVM used (user and system)")
          .register(registry);
      Gauge.builder("process.virtual.memory", jvm, b -> b.getCommittedVirtualMemorySize())
          .baseUnit("bytes")
          .description("Virtual memory of the server's JVM")
          .register(registry);
    }
    if (os instanceof UnixOperatingSystemMXBean unix) {
      Gauge.builder("process.open.fds", unix, b -> b.getOpenFileDescriptorCount())
          .description("File descriptors the server's JVM has open")
          .register(registry);
      Gauge.builder("process.max.fds", unix, b -> b.getMaxFileDescriptorCount())
          .description("The server's file descriptor limit (ulimit -n)")
          .register(registry);
    }
    if (proc.available()) {
      bindProc(registry);
    }
  }

  private void bindProc(MeterRegistry registry) {
    long self = ProcessHandle.current().pid();
    // Strong references: nothing else holds these readers, and a collected one reads NaN.
    Gauge.builder("process.resident.memory", proc, p -> residentBytes(p, self))
        .strongReference(true)
        .baseUnit("bytes")
        .description("Resident memory of the server's JVM")
        .register(registry);
    Gauge.builder("odahu.worker.processes", workers, w -> w.sample().processes())
        .strongReference(true)
        .description("Processes the server started (the Python workers and their children)")
        .register(registry);
    Gauge.builder("odahu.worker.resident.memory", workers, w -> w.sample().residentBytes())
        .strongReference(true)
        .baseUnit("bytes")
        .description("Resident memory of the worker processes together")
        .register(registry);
    // A function counter holds its state object weakly and has no strong option: the registry
    // lives as long as it is scraped, and the function holds the workers.
    FunctionCounter.builder("odahu.worker.cpu", registry, r -> workers.sample().cpuSeconds())
        .baseUnit("seconds")
        .description("CPU time the worker processes used, replaced workers' included")
        .register(registry);
  }

  private static double residentBytes(ProcFs proc, long pid) {
    ProcFs.Usage usage = proc.usage(pid);
    return usage == null ? Double.NaN : usage.residentBytes();
  }
}
