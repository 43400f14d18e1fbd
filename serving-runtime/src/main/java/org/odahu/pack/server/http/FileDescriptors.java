package org.odahu.pack.server.http;

import java.lang.management.ManagementFactory;

/** How many connections the process's file descriptor limit leaves room for. */
public final class FileDescriptors {
  /** Descriptors kept for everything but connections: jars, workers' pipes, logs, capture. */
  static final long RESERVED = 256;

  private FileDescriptors() {}

  /**
   * The most connections {@code limit} descriptors allow: all but {@link #RESERVED} or a tenth of
   * them, whichever is more, and at least 1; {@code limit < 0} (unknown) allows any number.
   */
  public static int connectionsAllowed(long limit) {
    if (limit < 0) {
      return Integer.MAX_VALUE;
    }
    long room = limit - Math.max(RESERVED, limit / 10);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, room));
  }

  /** This process's descriptor limit ({@code ulimit -n}), or -1 if the platform does not say. */
  public static long limit() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount()
        : -1;
  }
}
