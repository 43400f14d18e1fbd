package org.odahu.pack.server;

/** The server cannot listen on its address, e.g. because another process holds the port. */
public final class ServerBindException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServerBindException(String host, int port, Throwable cause) {
    super("Cannot bind " + host + ":" + port + ": " + reason(cause), cause);
  }

  /**
   * The operating system's words: {@code Address already in use}, whether the JDK ({@code
   * BindException}) or Netty's epoll transport ({@code bind(..) failed: ...}) reported it.
   */
  private static String reason(Throwable cause) {
    if (cause.getMessage() == null) {
      return cause.getClass().getSimpleName(); // e.g. UnresolvedAddressException: no words at all
    }
    String message = cause.getMessage();
    int colon = message.lastIndexOf(": ");
    return colon < 0 ? message : message.substring(colon + 2);
  }
}
