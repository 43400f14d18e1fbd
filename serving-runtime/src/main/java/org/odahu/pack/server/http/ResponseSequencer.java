package org.odahu.pack.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps HTTP/1.1 pipelining in order on one connection: requests are numbered as they arrive and
 * their responses, which may finish in any order, are written in that order. It also bounds what
 * one connection can make the server hold: its {@link ReadGate} closes (no reading, no decoding)
 * while {@link #MAX_PENDING} requests are unanswered or the socket does not take what was written,
 * and opens when that is no longer so. Event loop only.
 */
final class ResponseSequencer {
  /** Unanswered requests of one connection at which it stops being read. */
  static final int MAX_PENDING = 64;

  /** Told whether a response reached the socket ({@code false} when it was discarded). */
  interface Written {
    void done(boolean written);
  }

  private record Outgoing(
      FullHttpResponse response, boolean close, boolean refused, Written written) {}

  private final Channel channel;
  private final ReadGate gate;
  private final Map<Integer, Outgoing> ready = new HashMap<>();
  private int allocated;
  private int nextToWrite;
  private boolean closing;

  ResponseSequencer(Channel channel, ReadGate gate) {
    this.channel = channel;
    this.gate = gate;
  }

  /** Numbers a new request. */
  int next() {
    int sequence = allocated++;
    pauseOrResumeReading();
    return sequence;
  }

  /**
   * Reads from the connection only while fewer than {@link #MAX_PENDING} requests are unanswered
   * and the channel is writable (a client that does not read its responses stops being read).
   */
  void pauseOrResumeReading() {
    gate.set(!closing && allocated - nextToWrite < MAX_PENDING && channel.isWritable());
  }

  /** Whether every numbered request has been answered. */
  boolean idle() {
    return nextToWrite == allocated;
  }

  /**
   * Hands over the response of request {@code sequence}; writes whatever is now in order.
   *
   * @param close whether the connection closes after this response
   * @param refused whether the request was refused before it was read whole: its connection then
   *     closes the {@linkplain LingeringClose lingering} way
   */
  void complete(
      int sequence, FullHttpResponse response, boolean close, boolean refused, Written written) {
    if (closing || !channel.isActive()) {
      response.release();
      written.done(false);
      return;
    }
    ready.put(sequence, new Outgoing(response, close, refused, written));
    boolean wrote = false;
    Outgoing next;
    while ((next = ready.remove(nextToWrite)) != null) {
      nextToWrite++;
      wrote = true;
      Outgoing sent = next;
      var future = channel.write(sent.response());
      future.addListener(f -> sent.written().done(f.isSuccess()));
      if (sent.close()) {
        closing = true;
        future.addListener(
            sent.refused()
                ? (ChannelFutureListener) f -> LingeringClose.close(channel)
                : ChannelFutureListener.CLOSE);
        discardPending();
        break;
      }
    }
    if (wrote) {
      channel.flush();
      pauseOrResumeReading();
    }
  }

  /** Releases responses that can no longer be written (the connection is closing). */
  void discardPending() {
    for (Outgoing outgoing : ready.values()) {
      outgoing.response().release();
      outgoing.written().done(false);
    }
    ready.clear();
  }
}
