package org.odahu.pack.server.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Netty's leak detector, remembering what it reports so that {@link NettyLeakCheck} can fail the
 * tests: on its own, {@code paranoid} leak detection only logs. Installed by the test JVM's {@code
 * -Dio.netty.customResourceLeakDetector}.
 *
 * @param <T> the tracked resource type
 */
public final class FailingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

  /** The constructor Netty's factory calls. */
  public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  /** The constructor Netty's factory looks up first; without it Netty logs an error. */
  @SuppressWarnings("deprecation")
  public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    super(resourceType, samplingInterval, maxActive);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add(resourceType + " leaked:" + records);
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add(resourceType + " leaked (no records)");
    super.reportUntracedLeak(resourceType);
  }

  /** Whether this detector is the one Netty uses. */
  static boolean installed() {
    return FailingLeakDetector.class
        .getName()
        .equals(System.getProperty("io.netty.customResourceLeakDetector"));
  }

  /** The leaks reported since the last call. */
  static List<String> drain() {
    List<String> drained = new ArrayList<>();
    for (String leak = LEAKS.poll(); leak != null; leak = LEAKS.poll()) {
      drained.add(leak);
    }
    return drained;
  }
}
