package org.odahu.pack.server.capture.s3;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.odahu.pack.server.capture.CaptureSink;

/** A receipt that remembers how it was settled and how often (more than once is a bug). */
final class CountingReceipt implements CaptureSink.Receipt {
  final AtomicInteger settlements = new AtomicInteger();
  final CompletableFuture<String> outcome = new CompletableFuture<>();
  private final boolean awaited;

  CountingReceipt(boolean awaited) {
    this.awaited = awaited;
  }

  @Override
  public void stored() {
    settlements.incrementAndGet();
    outcome.complete("stored");
  }

  @Override
  public void lost(String reason) {
    settlements.incrementAndGet();
    outcome.complete("lost: " + reason);
  }

  @Override
  public boolean awaited() {
    return awaited;
  }

  boolean isStored() {
    return "stored".equals(outcome.getNow(null));
  }

  boolean isLost() {
    String now = outcome.getNow(null);
    return now != null && now.startsWith("lost");
  }
}
