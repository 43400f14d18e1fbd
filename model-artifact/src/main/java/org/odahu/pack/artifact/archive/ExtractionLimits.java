package org.odahu.pack.artifact.archive;

/**
 * Bounds on what reading one archive (or one image, all its layers together) may produce.
 *
 * @param maxEntries most entries an archive may hold
 * @param maxTotalBytes most bytes all extracted files may hold together
 * @param maxCompressionRatio most uncompressed bytes per archive byte, checked once the output
 *     exceeds {@code ratioCheckThresholdBytes} (small, highly compressible files stay allowed)
 * @param ratioCheckThresholdBytes uncompressed size from which the ratio is enforced
 */
public record ExtractionLimits(
    int maxEntries, long maxTotalBytes, long maxCompressionRatio, long ratioCheckThresholdBytes) {

  /** Limits sensible for ML models: 100k entries, 10 GiB, ratio 100:1 beyond 64 MiB. */
  public static final ExtractionLimits DEFAULTS =
      new ExtractionLimits(100_000, 10L << 30, 100, 64L << 20);

  /**
   * Limits for unpacking a whole image: 1M entries, 64 GiB, ratio 100:1 beyond 64 MiB (real layers
   * compress 2 to 5 times).
   */
  public static final ExtractionLimits IMAGES =
      new ExtractionLimits(1_000_000, 64L << 30, 100, 64L << 20);

  public ExtractionLimits {
    if (maxEntries <= 0
        || maxTotalBytes <= 0
        || maxCompressionRatio <= 0
        || ratioCheckThresholdBytes < 0) {
      throw new IllegalArgumentException("extraction limits must be positive");
    }
  }
}
