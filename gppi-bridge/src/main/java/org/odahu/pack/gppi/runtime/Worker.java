package org.odahu.pack.gppi.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One running instance of the model (a Python process, or an in-process interpreter context) that
 * answers one call at a time. Only {@link #kill()} may be called from another thread.
 */
public interface Worker {

  /** A short name for logs and errors, e.g. {@code worker-1 (pid 4242)}. */
  String name();

  /**
   * Sends one request and waits for the reply.
   *
   * @param type a Java-to-Python type of {@link Frames}
   * @param payload the request payload
   * @throws WorkerDiedException if the worker died or was killed before replying
   */
  Reply call(int type, byte[] payload) throws WorkerDiedException;

  /**
   * As {@link #call(int, byte[])}, running {@code whileWaiting} on this thread once the request is
   * on its way, while the worker works on it. The default runs it first: for in-process workers,
   * whose call runs on this thread.
   *
   * @param whileWaiting work that must not wait for the reply; it must not throw
   */
  default Reply call(int type, byte[] payload, Runnable whileWaiting) throws WorkerDiedException {
    whileWaiting.run();
    return call(type, payload);
  }

  /** Aborts the worker at once, failing a call in progress; safe from any thread. */
  void kill();

  /** Asks the worker to stop, waiting at most {@code grace} before killing it. */
  void close(Duration grace);

  /**
   * Completes, with a description of how it ended, once the worker has exited on its own or been
   * killed, even between calls. The default never completes: for in-process workers, which cannot
   * die while idle.
   */
  default CompletionStage<String> exited() {
    return new CompletableFuture<>();
  }
}
