package org.odahu.pack.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class after which Netty reports a leaked buffer (registered for every test class of
 * this module through JUnit's extension auto-detection).
 */
public final class NettyLeakCheck implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    if (!FailingLeakDetector.installed()) {
      throw new IllegalStateException(
          "Run the tests with -Dio.netty.customResourceLeakDetector="
              + FailingLeakDetector.class.getName());
    }
    // The detector looks at collected, unreleased buffers whenever it tracks a new one.
    for (int round = 0; round < 3; round++) {
      System.gc();
      Thread.sleep(20);
      for (ByteBuf probe :
          List.of(
              PooledByteBufAllocator.DEFAULT.buffer(1),
              PooledByteBufAllocator.DEFAULT.directBuffer(1),
              UnpooledByteBufAllocator.DEFAULT.heapBuffer(1))) {
        probe.release();
      }
    }
    List<String> leaks = FailingLeakDetector.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "Netty reported "
              + leaks.size()
              + " leaked buffer(s) during "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n", leaks));
    }
  }
}
