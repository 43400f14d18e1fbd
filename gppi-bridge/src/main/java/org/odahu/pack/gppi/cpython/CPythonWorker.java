package org.odahu.pack.gppi.cpython;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.Worker;
import org.odahu.pack.gppi.runtime.WorkerDiedException;

/** A CPython worker process speaking the frame protocol on its stdin and stdout. */
final class CPythonWorker implements Worker {
  private final Process process;
  private final DataInputStream in;
  private final DataOutputStream out;

  /** Bytes the pipe to the worker has taken: whether a failed call reached it at all. */
  private final CountingOutputStream piped;

  private final OutputPump stderr;

  /** The lines the worker had written when its last call began. */
  private volatile long linesBeforeCall;

  private final int maxFrameBytes;
  private final String name;
  private final CompletableFuture<String> exited;

  CPythonWorker(Process process, OutputPump stderr, int maxFrameBytes, String name) {
    this.process = process;
    this.in = new DataInputStream(process.getInputStream());
    this.piped = new CountingOutputStream(process.getOutputStream());
    this.out = new DataOutputStream(new BufferedOutputStream(piped, 1 << 16));
    this.stderr = stderr;
    this.maxFrameBytes = maxFrameBytes;
    this.name = name;
    // Whatever ends the worker (its model's crash, the kernel's OOM killer, a kill), the processes
    // its model started go with it, and with them any hold on its pipes.
    this.exited =
        process
            .onExit()
            .thenApply(
                ended -> {
                  ProcessGroup.kill(ended.pid());
                  return exitDescription();
                });
  }

  @Override
  public String name() {
    return name;
  }

  Process process() {
    return process;
  }

  @Override
  public Reply call(int type, byte[] payload) throws WorkerDiedException {
    return call(type, payload, () -> {});
  }

  @Override
  public Reply call(int type, byte[] payload, Runnable whileWaiting) throws WorkerDiedException {
    linesBeforeCall = stderr.lineCount();
    long before = piped.count;
    try {
      out.writeInt(payload.length);
      out.writeByte(type);
      out.write(payload);
      out.flush();
    } catch (IOException e) {
      if (piped.count == before) {
        // The pipe refused the request's first bytes: the worker had exited (while idle), and its
        // model never saw the request. One that died reading it (a request that kills it) did not.
        throw WorkerDiedException.undelivered(exitDescription());
      }
      throw died();
    }
    whileWaiting.run();
    return read();
  }

  /** Reads one frame; a broken or oversized frame means the worker cannot be trusted any more. */
  Reply read() throws WorkerDiedException {
    try {
      int length = in.readInt();
      int type = in.readUnsignedByte();
      if (length < 0 || length > maxFrameBytes) {
        kill(); // now: once the worker is gone, what its model started is out of reach
        byte[] head = {
          (byte) (length >>> 24),
          (byte) (length >>> 16),
          (byte) (length >>> 8),
          (byte) length,
          (byte) type
        };
        if (isText(head)) {
          // Before the worker's own first frame: e.g. a --python wrapper that echoes.
          throw new WorkerDiedException(
              "it wrote text to the worker's protocol pipe (\""
                  + new String(head, StandardCharsets.US_ASCII).strip()
                  + "…\"): a --python wrapper script must print to standard error, not standard"
                  + " output");
        }
        throw new WorkerDiedException(
            "it sent a frame of "
                + Integer.toUnsignedString(length)
                + " bytes, over the maximum of "
                + maxFrameBytes);
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      return new Reply(type, payload);
    } catch (EOFException e) {
      throw died();
    } catch (IOException e) {
      throw died();
    }
  }

  /** Counts what the stream below took without failing. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    long count; // written and read by the thread calling the worker

    CountingOutputStream(java.io.OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      count += length;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }
  }

  private static boolean isText(byte[] bytes) {
    for (byte b : bytes) {
      if ((b < 0x20 || b > 0x7e) && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Describes how the process ended, waiting briefly for its exit status. */
  WorkerDiedException died() {
    return new WorkerDiedException(exitDescription());
  }

  String exitDescription() {
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        return "it stopped answering";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "it stopped answering";
    }
    int code = process.exitValue();
    String status =
        code > 128
            ? "killed by signal " + (code - 128) + signalName(code - 128)
            : "exit code " + code;
    // Only what it wrote since its last call began: its start's output may be hours old.
    List<String> last = stderr.lastLines();
    return last.isEmpty() || stderr.lineCount() == linesBeforeCall
        ? status
        : status + "; last output: " + last.get(last.size() - 1);
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 6 -> " (SIGABRT)";
      case 9 -> " (SIGKILL)";
      case 11 -> " (SIGSEGV)";
      case 15 -> " (SIGTERM)";
      default -> "";
    };
  }

  @Override
  public CompletionStage<String> exited() {
    return exited;
  }

  /**
   * Kills the worker and the processes the model started: a child it forked may hold the worker's
   * pipes open, and would otherwise keep its slot waiting for an answer until the child exits.
   */
  @Override
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    ProcessGroup.kill(process.pid());
    process.destroyForcibly();
  }

  @Override
  public void close(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    // The processes the model started go with it, as with kill(): taken now, while they are still
    // the worker's descendants (once it exits they are the init process's).
    List<ProcessHandle> started = process.descendants().toList();
    try {
      stop(grace);
    } finally {
      started.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * Asks the worker to exit, then kills it after {@code grace}: the worker does nothing on SIGTERM
   * (a signal to the server's whole process group must not cut its model call short).
   */
  private void stop(Duration grace) {
    try {
      if (!grace.isZero()) {
        out.writeInt(0);
        out.writeByte(Frames.SHUTDOWN);
        out.flush();
      }
      out.close();
    } catch (IOException e) {
      // Already gone: nothing to ask.
    }
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
