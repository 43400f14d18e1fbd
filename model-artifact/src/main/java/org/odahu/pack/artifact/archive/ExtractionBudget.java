package org.odahu.pack.artifact.archive;

/**
 * What one extraction has used of its {@link ExtractionLimits}: entries and uncompressed bytes,
 * compared with the compressed size for the bomb check. One budget may span several archives (the
 * layers of one image). Not thread-safe: one extraction runs on one thread.
 */
public final class ExtractionBudget {
  private final String source;
  private final ExtractionLimits limits;
  private final long compressedBytes;
  private int entries;
  private long totalBytes;

  /**
   * @param source what is extracted, as messages name it (e.g. {@code Model artifact /a/b.zip})
   * @param limits the limits
   * @param compressedBytes the size of what is read, for the compression ratio
   */
  public ExtractionBudget(String source, ExtractionLimits limits, long compressedBytes) {
    this.source = source;
    this.limits = limits;
    this.compressedBytes = Math.max(1, compressedBytes);
  }

  /** Counts one entry; refuses one past the limit. */
  void countEntry(String name) {
    entries++;
    if (entries > limits.maxEntries()) {
      throw new ArchiveLimitExceededException(
          source + " has more than " + limits.maxEntries() + " entries (at '" + name + "')");
    }
  }

  /** The most entries an archive may have. */
  long maxEntries() {
    return limits.maxEntries();
  }

  /**
   * Refuses an archive whose directory lists {@code records} entries, more than the limit, before
   * any entry is read.
   */
  void refuseDirectoryOf(long records) {
    if (records > limits.maxEntries()) {
      throw new ArchiveLimitExceededException(
          source
              + " has more than "
              + limits.maxEntries()
              + " entries (its central directory, before any is read)");
    }
  }

  /** Counts {@code count} uncompressed bytes of entry {@code name}. */
  public void countBytes(String name, long count) {
    // Compared before adding: a declared size near Long.MAX_VALUE (a sparse tar entry's) would
    // wrap the sum below every limit.
    if (count < 0 || count > limits.maxTotalBytes() - totalBytes) {
      throw new ArchiveLimitExceededException(
          source
              + " expands to more than "
              + limits.maxTotalBytes()
              + " bytes (at '"
              + name
              + "')");
    }
    totalBytes += count;
    if (totalBytes > limits.ratioCheckThresholdBytes()
        && totalBytes / compressedBytes > limits.maxCompressionRatio()) {
      throw new ArchiveLimitExceededException(
          source
              + " looks like a compression bomb: it expands to more than "
              + limits.maxCompressionRatio()
              + " times its size (at '"
              + name
              + "')");
    }
  }

  /** What is extracted, as messages name it. */
  public String source() {
    return source;
  }
}
