package org.odahu.pack.gppi.graalpy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.odahu.pack.gppi.runtime.ModelOutputLog;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.Worker;
import org.odahu.pack.gppi.runtime.WorkerDiedException;

/** A GPPI model loaded in its own GraalPy context, called in-process. */
final class GraalPyWorker implements Worker {
  private final Context context;
  private final Value handle;
  private final Value gppi;
  private final String name;
  private final ModelOutputLog output;
  private final ContextClosings closings;
  private volatile Thread closing;

  GraalPyWorker(
      Context context,
      Value handle,
      Value gppi,
      String name,
      ModelOutputLog output,
      ContextClosings closings) {
    this.context = context;
    this.handle = handle;
    this.gppi = gppi;
    this.name = name;
    this.output = output;
    this.closings = closings;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Reply call(int type, byte[] payload) throws WorkerDiedException {
    if (closing != null) {
      throw new WorkerDiedException("its GraalPy context is closed");
    }
    try {
      Value reply = handle.execute(gppi, type, new String(payload, StandardCharsets.UTF_8));
      return new Reply(reply.getArrayElement(0).asInt(), bytes(reply.getArrayElement(1)));
    } catch (PolyglotException e) {
      throw new WorkerDiedException(failure(e), e);
    } catch (IllegalStateException e) {
      throw new WorkerDiedException("its GraalPy context is closed", e);
    }
  }

  /** Why a call into a context failed, for messages. */
  static String failure(PolyglotException e) {
    if (e.isExit()) {
      // os._exit(4) gives no message; a SystemExit that got through gives its own.
      return "the model exited ("
          + (e.getMessage() == null ? "status " + e.getExitStatus() : e.getMessage())
          + ")";
    }
    return e.isCancelled()
        ? "its GraalPy context was cancelled"
        : "GraalPy failed: " + e.getMessage();
  }

  /** Copies a Python {@code bytes} object out of the context. */
  static byte[] bytes(Value buffer) {
    byte[] bytes = new byte[Math.toIntExact(buffer.getBufferSize())];
    buffer.readBuffer(0, bytes, 0, bytes.length);
    return bytes;
  }

  /**
   * Cancels the context without waiting for it: the call in progress fails once its guest code
   * stops, and its thread then replaces the worker.
   */
  @Override
  public void kill() {
    closing();
  }

  @Override
  public void close(Duration grace) {
    try {
      closing().join(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized Thread closing() {
    if (closing == null) {
      closing = closings.start(name + "-close", this::closeContext);
    }
    return closing;
  }

  private void closeContext() {
    try {
      context.close(true);
    } catch (PolyglotException | IllegalStateException e) {
      // Already closed or cancelled: nothing left to stop.
    }
    output.close();
  }
}
