package org.odahu.pack.packager.image;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.odahu.pack.packager.PackagingException;

/**
 * How long a registry may take to answer what odahu-pack asks of it itself (the probe, resolving a
 * base's digest): 30 s, or the seconds of the system property {@value #PROPERTY}. Jib's own
 * requests retry a request that times out ten times with back-off (about 4.5 minutes for a registry
 * that stops answering), so a registry is asked here first, within this bound.
 */
final class RegistryTimeouts {
  /** The system property that overrides the limit, in seconds. */
  static final String PROPERTY = "odahu.pack.registryTimeout";

  private static final long DEFAULT_SECONDS = 30;

  private RegistryTimeouts() {}

  /** The limit for one answer, or for one short exchange such as resolving a digest. */
  static Duration limit() {
    long seconds = Long.getLong(PROPERTY, DEFAULT_SECONDS);
    return Duration.ofSeconds(seconds > 0 ? seconds : DEFAULT_SECONDS);
  }

  /** What a registry that gave no answer in time is told as. */
  static PackagingException noAnswer(String registry, Duration limit, Throwable failure) {
    return new PackagingException(
        "The registry " + registry + " did not answer within " + limit.toSeconds() + " s", failure);
  }

  /** A call to a registry that may throw what Jib's client throws. */
  interface Call<T> {
    T call() throws Exception;
  }

  /**
   * Runs {@code call} for at most {@link #limit()}; when that passes, {@code abort} is run (it
   * closes the connections the call waits on) and the registry is reported as not answering.
   */
  static <T> T within(String registry, Runnable abort, Call<T> call) throws Exception {
    Duration limit = limit();
    FutureTask<T> task = new FutureTask<>(call::call);
    Thread.ofVirtual().name("odahu-pack-registry").start(task);
    try {
      return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      abort.run();
      task.cancel(true);
      throw noAnswer(registry, limit, e);
    } catch (InterruptedException e) {
      abort.run();
      task.cancel(true);
      Thread.currentThread().interrupt();
      throw new PackagingException("Packaging was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
