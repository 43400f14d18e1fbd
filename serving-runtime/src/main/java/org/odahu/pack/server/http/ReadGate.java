package org.odahu.pack.server.http;

import io.netty.channel.Channel;
import java.util.function.Consumer;

/**
 * Whether one connection's requests are read and decoded now. Closed, the socket is not read and
 * bytes already read stay undecoded, so that a burst of pipelined requests waits as bytes, not as
 * requests. Event loop only.
 */
final class ReadGate {
  private final Channel channel;
  private boolean open = true;
  private Consumer<Boolean> listener = open -> {};

  ReadGate(Channel channel) {
    this.channel = channel;
  }

  boolean isOpen() {
    return open;
  }

  /** Told {@code true} when the gate opens and {@code false} when it closes. */
  void onChange(Consumer<Boolean> changes) {
    this.listener = changes;
  }

  /** Opens or closes the gate. */
  void set(boolean wanted) {
    if (channel.config().isAutoRead() != wanted) {
      channel.config().setAutoRead(wanted);
    }
    if (open != wanted) {
      open = wanted;
      listener.accept(wanted);
    }
  }
}
