package org.odahu.pack.packager.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry that misbehaves on purpose, plain HTTP on 127.0.0.1: {@code /v2/} answers 200, every
 * other request gets the one answer it was made with (a status and body, or no answer at all until
 * it is closed). A TLS handshake is answered by closing the connection, as a plain-HTTP server
 * does, so that clients trying HTTPS first move on to HTTP. Records the requests it got.
 */
public final class FakeRegistry implements AutoCloseable {
  /** What every request other than {@code /v2/} gets. */
  public record Answer(int status, Map<String, String> headers, String body) {
    /** No answer at all: the connection stays open, silent, until the registry is closed. */
    public static final Answer HANG = new Answer(-1, Map.of(), "");
  }

  private static final Map<Integer, String> REASONS =
      Map.of(
          200, "OK",
          401, "Unauthorized",
          403, "Forbidden",
          404, "Not Found",
          500, "Internal Server Error",
          503, "Service Unavailable");

  private final ServerSocket server;
  private final Answer answer;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> connections = new CopyOnWriteArrayList<>();

  private FakeRegistry(Answer answer) throws IOException {
    this.answer = answer;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  /** A registry giving {@code answer} to everything but {@code /v2/}. */
  public static FakeRegistry answering(Answer answer) throws IOException {
    return new FakeRegistry(answer);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.add(socket);
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String requestLine = head.lines().findFirst().orElse("");
        String[] parts = requestLine.split(" ", 3);
        if (parts.length < 2) {
          return;
        }
        long length = 0;
        for (String line : head.lines().toList()) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Long.parseLong(line.substring(15).strip());
          }
        }
        in.skipNBytes(length);
        String path = parts[1].replaceFirst("\\?.*", "");
        requests.add(parts[0] + " " + path);
        if (path.equals("/v2/")) {
          reply(out, parts[0], 200, Map.of("Content-Type", "application/json"), "{}");
        } else if (answer.status() < 0) {
          in.read(); // until the registry is closed
          return;
        } else {
          reply(out, parts[0], answer.status(), answer.headers(), answer.body());
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, or the registry was closed
    }
  }

  /** The request line and headers, or null at the end or on a TLS handshake. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int first = in.read();
    if (first < 0 || first == 0x16) {
      return null;
    }
    head.write(first);
    for (int b; (b = in.read()) >= 0; ) {
      head.write(b);
      byte[] bytes = head.toByteArray();
      int n = bytes.length;
      if (n >= 4
          && bytes[n - 4] == '\r'
          && bytes[n - 3] == '\n'
          && bytes[n - 2] == '\r'
          && bytes[n - 1] == '\n') {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static void reply(
      OutputStream out, String method, int status, Map<String, String> headers, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder response =
        new StringBuilder("HTTP/1.1 ")
            .append(status)
            .append(' ')
            .append(REASONS.getOrDefault(status, "Status"))
            .append("\r\n");
    headers.forEach(
        (name, value) -> response.append(name).append(": ").append(value).append("\r\n"));
    response.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!method.equals("HEAD")) {
      out.write(bytes);
    }
    out.flush();
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The requests so far, as {@code METHOD PATH}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket socket : connections) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
