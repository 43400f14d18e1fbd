package org.odahu.pack.server.http;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps HTTP/1.1 pipelining in order on one connection: requests are numbered as they arrive and
 * their responses, which may finish in any order, are written in that order. It also bounds what
 * one connection can make the server hold: reading stops while {@link #MAX_PENDING} requests are
 * unanswered or the socket does not take what was written, and resumes when that is no longer so.
 * Event loop only.
 */
final class ResponseSequencer {
  /** Unanswered requests of one connection at which it stops being read. */
  static final int MAX_PENDING = 64;

  /** Told whether a response reached the socket ({@code false} when it was discarded). */
  interface Written {
    void done(boolean written);
  }

  private record Outgoing(FullHttpResponse response, boolean close, Written written) {}

  private final ChannelHandlerContext ctx;
  private final Map<Integer, Outgoing> ready = new HashMap<>();
  private int allocated;
  private int nextToWrite;
  private boolean closing;

  ResponseSequencer(ChannelHandlerContext ctx) {
    this.ctx = ctx;
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
    boolean read = allocated - nextToWrite < MAX_PENDING && ctx.channel().isWritable();
    ChannelConfig config = ctx.channel().config();
    if (config.isAutoRead() != read) {
      config.setAutoRead(read);
    }
  }

  /** Whether every numbered request has been answered. */
  boolean idle() {
    return nextToWrite == allocated;
  }

  /** Hands over the response of request {@code sequence}; writes whatever is now in order. */
  void complete(int sequence, FullHttpResponse response, boolean close, Written written) {
    if (closing || !ctx.channel().isActive()) {
      response.release();
      written.done(false);
      return;
    }
    ready.put(sequence, new Outgoing(response, close, written));
    boolean wrote = false;
    Outgoing next;
    while ((next = ready.remove(nextToWrite)) != null) {
      nextToWrite++;
      wrote = true;
      Outgoing sent = next;
      var future = ctx.write(sent.response());
      future.addListener(f -> sent.written().done(f.isSuccess()));
      if (sent.close()) {
        closing = true;
        future.addListener(ChannelFutureListener.CLOSE);
        discardPending();
        break;
      }
    }
    if (wrote) {
      ctx.flush();
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
