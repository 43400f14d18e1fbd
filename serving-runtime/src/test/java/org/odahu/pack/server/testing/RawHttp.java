package org.odahu.pack.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Raw HTTP/1.1 bytes in and out of an {@link EmbeddedChannel} or a real socket. */
public final class RawHttp {
  private RawHttp() {}

  /** A parsed response. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** A request with a JSON body. */
  public static String post(String path, String body, String... headers) {
    StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: test\r\n");
    request.append("Content-Type: application/json\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return request
        .append("Content-Length: ")
        .append(bytes.length)
        .append("\r\n\r\n")
        .append(body)
        .toString();
  }

  /** A GET request. */
  public static String get(String path, String... headers) {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: test\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  /** Writes raw bytes, runs the event loop's tasks and returns what came out, parsed. */
  public static List<Response> exchange(EmbeddedChannel channel, byte[] raw) {
    channel.writeInbound(Unpooled.wrappedBuffer(raw));
    channel.runPendingTasks();
    return read(channel);
  }

  /** As {@link #exchange(EmbeddedChannel, byte[])} for text. */
  public static List<Response> exchange(EmbeddedChannel channel, String raw) {
    return exchange(channel, raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Everything written so far, parsed into responses. */
  public static List<Response> read(EmbeddedChannel channel) {
    return parse(new String(readBytes(channel), StandardCharsets.ISO_8859_1));
  }

  /** Everything written so far, as text. */
  public static String readRaw(EmbeddedChannel channel) {
    return new String(readBytes(channel), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(EmbeddedChannel channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuf buffer;
    while ((buffer = channel.readOutbound()) != null) {
      byte[] bytes = new byte[buffer.readableBytes()];
      buffer.readBytes(bytes);
      buffer.release();
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  /** Responses in {@code text}, one char per byte (ISO-8859-1); bodies are decoded as UTF-8. */
  static List<Response> parse(String text) {
    List<Response> responses = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int headEnd = text.indexOf("\r\n\r\n", at);
      Response head = head(text.substring(at, headEnd));
      String length = head.header("content-length");
      int bodyStart = headEnd + 4;
      int bodyEnd = bodyStart + (length == null ? 0 : Integer.parseInt(length));
      responses.add(
          new Response(head.status(), head.headers(), text.substring(bodyStart, bodyEnd)));
      at = bodyEnd;
    }
    return responses;
  }

  /** A response's status line and headers, without the final empty line. */
  private static Response head(String text) {
    String[] lines = text.split("\r\n", -1);
    int status = Integer.parseInt(lines[0].substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    return new Response(status, headers, "");
  }

  /** A real connection to a server on 127.0.0.1, for what clients put on the wire. */
  public static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    private Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new java.io.BufferedInputStream(socket.getInputStream());
    }

    /** Connects to {@code port} on 127.0.0.1. */
    public static Connection open(int port) {
      try {
        return new Connection(new Socket(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The socket, e.g. to shut its output down. */
    public Socket socket() {
      return socket;
    }

    /** Sends raw bytes. */
    public Connection send(byte[] raw) {
      try {
        socket.getOutputStream().write(raw);
        socket.getOutputStream().flush();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Sends raw text as UTF-8. */
    public Connection send(String raw) {
      return send(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads {@code count} responses, waiting at most {@code timeout} for each byte; fails, with
     * what was read, when the connection ends or stalls first.
     */
    public List<Response> read(int count, Duration timeout) {
      List<Response> responses = new ArrayList<>();
      try {
        socket.setSoTimeout((int) timeout.toMillis());
        while (responses.size() < count) {
          Response response = readOne();
          if (response == null) {
            throw new AssertionError(
                "the connection ended after " + responses.size() + " of " + count + " responses");
          }
          responses.add(response);
        }
        return responses;
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "no more bytes after " + responses.size() + " of " + count + " responses", e);
      } catch (IOException e) {
        throw new AssertionError(
            "the connection failed after " + responses.size() + " of " + count + " responses", e);
      }
    }

    /** The next response, or {@code null} if none begins within {@code timeout}. */
    public Response poll(Duration timeout) {
      try {
        socket.setSoTimeout((int) timeout.toMillis());
        in.mark(1);
        int first = in.read();
        if (first < 0) {
          throw new AssertionError("the connection ended");
        }
        in.reset();
        return read(Duration.ofSeconds(30));
      } catch (SocketTimeoutException e) {
        return null;
      } catch (IOException e) {
        throw new AssertionError("the connection failed", e);
      }
    }

    /** Reads one response. */
    public Response read(Duration timeout) {
      return read(1, timeout).get(0);
    }

    /**
     * Whether the server ends the connection (end of stream or reset) within {@code timeout},
     * discarding whatever it sends before.
     */
    public boolean endsWithin(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      byte[] sink = new byte[8192];
      try {
        while (true) {
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            return false;
          }
          socket.setSoTimeout((int) left);
          if (in.read(sink) < 0) {
            return true;
          }
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset
      }
    }

    /** One response, or null at the end of the stream before its first byte. */
    private Response readOne() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          if (head.size() == 0) {
            return null;
          }
          throw new IOException("end of stream inside a response head: " + head);
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      Response parsedHead = head(text.substring(0, text.length() - 4));
      String length = parsedHead.header("content-length");
      byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
      return new Response(
          parsedHead.status(), parsedHead.headers(), new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
