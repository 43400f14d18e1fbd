package org.odahu.pack.gppi.runtime;

/**
 * How much of its output one worker may put in the log: a steady rate with bursts, in bytes (each
 * line also costs a little for its log record). Output beyond it is counted and dropped.
 *
 * @param bytesPerSecond the steady rate
 * @param burstBytes how much may be written at once after a quiet period
 */
public record OutputLimit(long bytesPerSecond, long burstBytes) {
  /** 256 KiB per second, in bursts of up to 1 MiB: far above a model's normal logging. */
  public static final OutputLimit DEFAULT = new OutputLimit(256 << 10, 1 << 20);

  public OutputLimit {
    if (bytesPerSecond < 1 || burstBytes < 1) {
      throw new IllegalArgumentException(
          "output limit must be positive, got " + bytesPerSecond + " B/s, bursts " + burstBytes);
    }
  }

  @Override
  public String toString() {
    return (bytesPerSecond >> 10) + " KiB/s, bursts of " + (burstBytes >> 10) + " KiB";
  }
}
