package org.odahu.pack.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The listening socket and its connections (epoll where available): the {@link ConnectionLimiter}
 * counts connections as they are accepted and marks those beyond the limit (answered only for
 * probes and scrapes) or closes them, errors accepting them pause accepting and are logged
 * sparingly, and every connection served gets the {@link ModelServerInitializer}'s pipeline.
 */
public final class HttpServer implements AutoCloseable {
  private final HttpEdge edge;
  private final EventLoopGroup acceptor;
  private final EventLoopGroup io;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ConnectionLimiter limiter;
  private Channel serverChannel;

  private HttpServer(HttpEdge edge, int ioThreads, int maxConnections) {
    this.edge = edge;
    IoHandlerFactory handlers =
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.acceptor =
        new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("odahu-accept"), handlers);
    this.io =
        new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("odahu-io"), handlers);
    this.limiter = new ConnectionLimiter(maxConnections, edge.router().fallback().errors());
  }

  /**
   * Listens on {@code host}:{@code port} ({@code 0}: any free port).
   *
   * @throws BindFailedException when the address cannot be bound
   */
  public static HttpServer bind(
      HttpEdge edge, String host, int port, int ioThreads, int maxConnections)
      throws InterruptedException {
    HttpServer server = new HttpServer(edge, ioThreads, maxConnections);
    try {
      server.serverChannel = server.listen(host, port);
      return server;
    } catch (RuntimeException | InterruptedException e) {
      server.stopGroups();
      throw e;
    }
  }

  /** The address cannot be listened on. */
  public static final class BindFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BindFailedException(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }

  private Channel listen(String host, int port) throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ModelServerInitializer initializer = new ModelServerInitializer(edge);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(acceptor, io)
            .channel(type)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .handler(
                new ChannelInitializer<ServerChannel>() {
                  @Override
                  protected void initChannel(ServerChannel listening) {
                    listening
                        .pipeline()
                        .addLast("connections", limiter)
                        .addLast("accept-errors", new AcceptErrors());
                  }
                })
            .childOption(ChannelOption.TCP_NODELAY, true)
            // A connection's buffers are allocated per read and per response and freed at once:
            // Netty's default pooling allocator kept ~10 MiB more of the JVM resident after load
            // (101 against 111 MiB, wine, one worker), at the same throughput.
            .childOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channels.add(channel);
                    channel.pipeline().addLast(initializer);
                  }
                })
            .bind(host, port)
            .await();
    if (!bound.isSuccess()) {
      throw new BindFailedException(bound.cause());
    }
    return bound.channel();
  }

  /** The port listened on. */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Connections open now (those beyond {@code --max-connections} not included). */
  public int connections() {
    return limiter.open();
  }

  /** Connections beyond {@code --max-connections} that got no usual answer, so far. */
  public long refusedConnections() {
    return limiter.refused();
  }

  /**
   * Stops listening, waits (at most {@code grace}) for the requests in flight to be answered, then
   * closes every connection and stops the I/O threads.
   */
  public void stop(Duration grace) {
    serverChannel.close().awaitUninterruptibly();
    long deadline = System.nanoTime() + grace.toNanos();
    while (edge.state().inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    stopGroups();
  }

  private void stopGroups() {
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }
}
