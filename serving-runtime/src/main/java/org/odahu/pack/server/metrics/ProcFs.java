package org.odahu.pack.server.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's {@code /proc} says about a process: the CPU time it used and its resident memory.
 * Reads {@code <root>/<pid>/stat} and {@code <root>/<pid>/status}; the root is a parameter so tests
 * can hand it a directory of their own.
 */
final class ProcFs {
  /** {@code USER_HZ}: the unit of {@code /proc/<pid>/stat} times, 100 on every Linux ABI. */
  private static final double TICKS_PER_SECOND = 100;

  private final Path root;

  ProcFs(Path root) {
    this.root = root;
  }

  /** The machine's own {@code /proc}. */
  static ProcFs system() {
    return new ProcFs(Path.of("/proc"));
  }

  /** Whether this is Linux's {@code /proc} (it has {@code self/stat}). */
  boolean available() {
    return Files.isReadable(root.resolve("self").resolve("stat"));
  }

  /**
   * One process's usage, or {@code null} when it is gone (or its entries cannot be read).
   *
   * @param pid the process id
   */
  Usage usage(long pid) {
    Path dir = root.resolve(Long.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
      String status = Files.readString(dir.resolve("status"), StandardCharsets.UTF_8);
      return parse(stat, status);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Parses {@code stat} (fields after the command name, which may hold spaces and parentheses) and
   * the {@code VmRSS} line of {@code status} (absent for a zombie: no resident memory).
   */
  static Usage parse(String stat, String status) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ", -1);
    // fields[0] is stat's field 3 (state): utime is field 14, stime 15, starttime 22.
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    long startTicks = Long.parseLong(fields[19]);
    return new Usage(ticks / TICKS_PER_SECOND, residentBytes(status), startTicks);
  }

  private static long residentBytes(String status) {
    for (String line : status.split("\n", -1)) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+", -1);
        return Long.parseLong(parts[0]) * 1024; // always in kB
      }
    }
    return 0;
  }

  /**
   * One process's usage.
   *
   * @param cpuSeconds user and system CPU time used so far
   * @param residentBytes resident memory now
   * @param startTicks when it started, in ticks since boot: tells a reused pid from its first owner
   */
  record Usage(double cpuSeconds, long residentBytes, long startTicks) {}
}
