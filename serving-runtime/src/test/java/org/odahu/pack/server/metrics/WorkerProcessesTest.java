package org.odahu.pack.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Worker process usage from a /proc of the test's own making. */
class WorkerProcessesTest {
  @TempDir Path proc;
  private final List<Long> pids = new ArrayList<>();
  private final AtomicLong clock = new AtomicLong();

  /** Writes {@code <proc>/<pid>/stat} and {@code status} as Linux does. */
  private void process(long pid, String command, long utime, long stime, long start, long rssKb)
      throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(
        dir.resolve("stat"),
        pid
            + " ("
            + command
            + ") S 1 "
            + pid
            + " "
            + pid
            + " 0 -1 4194560 9150 0 0 0 "
            + utime
            + " "
            + stime
            + " 0 0 20 0 1 0 "
            + start
            + " 225140736 33212 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 1 0 0 0 0 0\n");
    Files.writeString(
        dir.resolve("status"),
        "Name:\t" + command + "\nState:\tS (sleeping)\nVmRSS:\t  " + rssKb + " kB\nThreads:\t1\n");
  }

  private WorkerProcesses workers() {
    return new WorkerProcesses(
        new ProcFs(proc),
        () -> pids.stream().mapToLong(Long::longValue),
        clock::get,
        Duration.ofMillis(500));
  }

  @Test
  void sumsTheProcessesMemoryAndCpu() throws IOException {
    process(100, "python3", 150, 50, 1000, 2048);
    process(101, "weird) name (", 30, 20, 1001, 1024);
    pids.addAll(List.of(100L, 101L));
    WorkerProcesses.Sample sample = workers().sample();
    assertEquals(2, sample.processes());
    assertEquals(3 * 1024 * 1024, sample.residentBytes());
    assertEquals(2.5, sample.cpuSeconds(), 1e-9);
  }

  @Test
  void cpuOfAReplacedWorkerStaysInTheTotal() throws IOException {
    WorkerProcesses workers = workers();
    process(100, "python3", 300, 100, 1000, 2048);
    pids.add(100L);
    assertEquals(4.0, workers.sample().cpuSeconds(), 1e-9);
    // The worker dies; its replacement has used little so far.
    Files.delete(proc.resolve("100").resolve("stat"));
    process(200, "python3", 10, 0, 5000, 2048);
    pids.set(0, 200L);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    WorkerProcesses.Sample after = workers.sample();
    assertEquals(1, after.processes());
    assertEquals(4.1, after.cpuSeconds(), 1e-9);
  }

  @Test
  void aReusedPidIsANewProcess() throws IOException {
    WorkerProcesses workers = workers();
    process(100, "python3", 500, 0, 1000, 2048);
    pids.add(100L);
    assertEquals(5.0, workers.sample().cpuSeconds(), 1e-9);
    process(100, "python3", 100, 0, 9000, 2048);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    assertEquals(6.0, workers.sample().cpuSeconds(), 1e-9);
  }

  @Test
  void aProcessGoneBetweenListingAndReadingIsSkipped() throws IOException {
    process(100, "python3", 100, 0, 1000, 2048);
    pids.addAll(List.of(100L, 101L));
    WorkerProcesses.Sample sample = workers().sample();
    assertEquals(1, sample.processes());
    assertEquals(1.0, sample.cpuSeconds(), 1e-9);
  }

  @Test
  void oneScrapeReadsProcOnce() throws IOException {
    WorkerProcesses workers = workers();
    process(100, "python3", 100, 0, 1000, 2048);
    pids.add(100L);
    WorkerProcesses.Sample first = workers.sample();
    process(100, "python3", 200, 0, 1000, 2048);
    clock.addAndGet(Duration.ofMillis(100).toNanos());
    assertEquals(first, workers.sample());
    clock.addAndGet(Duration.ofMillis(500).toNanos());
    assertEquals(2.0, workers.sample().cpuSeconds(), 1e-9);
  }

  @Test
  void aZombieHasNoResidentMemory() {
    ProcFs.Usage usage =
        ProcFs.parse(
            "7 (python3) Z 1 7 7 0 -1 4194560 0 0 0 0 12 3 0 0 20 0 1 0 77 0 0 0 0 0 0 0 0 0 0 0 0"
                + " 0 0 0 0 0 0 0 0",
            "Name:\tpython3\nState:\tZ (zombie)\n");
    assertEquals(0, usage.residentBytes());
    assertEquals(0.15, usage.cpuSeconds(), 1e-9);
    assertEquals(77, usage.startTicks());
  }

  @Test
  void theMachinesOwnProcIsRead() {
    ProcFs system = ProcFs.system();
    assertTrue(system.available());
    ProcFs.Usage self = system.usage(ProcessHandle.current().pid());
    assertTrue(self.residentBytes() > 10 << 20, "a JVM holds more than 10 MB: " + self);
    assertTrue(self.cpuSeconds() > 0, self.toString());
    assertNull(new ProcFs(proc).usage(1), "no such process");
  }
}
