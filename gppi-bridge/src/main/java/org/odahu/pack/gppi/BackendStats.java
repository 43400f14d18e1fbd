package org.odahu.pack.gppi;

/**
 * A snapshot of a backend's workers and queue.
 *
 * @param configuredWorkers workers the backend keeps running
 * @param aliveWorkers workers started, initialised and not dead
 * @param busyWorkers workers running a call now
 * @param restarts workers started to replace one that died or timed out, since the start
 * @param queuedCalls calls waiting for a worker
 * @param batching whether requests are merged into batches now
 */
public record BackendStats(
    int configuredWorkers,
    int aliveWorkers,
    int busyWorkers,
    long restarts,
    int queuedCalls,
    boolean batching) {}
