package org.odahu.pack.server.capture.s3;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * An in-memory bucket for unit tests of the code around uploads: the attempts it saw, the objects
 * it stored, failures on the attempts a predicate picks, and a gate that holds puts back.
 */
final class FakeUploader implements ObjectUploader {
  final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  final List<String> attempts = new CopyOnWriteArrayList<>();
  private final IntPredicate fails;
  private final CountDownLatch gate;
  volatile boolean closed;

  /** Fails the attempts (numbered from 1, over all keys) that {@code fails} picks. */
  FakeUploader(IntPredicate fails) {
    this(fails, new CountDownLatch(0));
  }

  /** As above; every put first waits until {@code gate} opens. */
  FakeUploader(IntPredicate fails, CountDownLatch gate) {
    this.fails = fails;
    this.gate = gate;
  }

  static FakeUploader working() {
    return new FakeUploader(attempt -> false);
  }

  @Override
  public void put(String key, byte[] content) throws ObjectUploadException {
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new ObjectUploadException("gate never opened", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObjectUploadException("interrupted", e);
    }
    attempts.add(key);
    if (fails.test(attempts.size())) {
      throw new ObjectUploadException("store unavailable (attempt " + attempts.size() + ")", null);
    }
    objects.put(key, content.clone());
  }

  @Override
  public String describe(String key) {
    return "fake://" + key;
  }

  @Override
  public void close() {
    closed = true;
  }
}
