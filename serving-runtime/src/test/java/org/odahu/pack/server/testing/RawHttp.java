package org.odahu.pack.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Raw HTTP/1.1 bytes in and out of an {@link EmbeddedChannel}. */
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
    return parse(readRaw(channel));
  }

  /** Everything written so far, as text. */
  public static String readRaw(EmbeddedChannel channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuf buffer;
    while ((buffer = channel.readOutbound()) != null) {
      byte[] bytes = new byte[buffer.readableBytes()];
      buffer.readBytes(bytes);
      buffer.release();
      out.writeBytes(bytes);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static List<Response> parse(String text) {
    List<Response> responses = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int headEnd = text.indexOf("\r\n\r\n", at);
      String[] lines = text.substring(at, headEnd).split("\r\n", -1);
      int status = Integer.parseInt(lines[0].substring(9, 12));
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      int length =
          headers.containsKey("content-length")
              ? Integer.parseInt(headers.get("content-length"))
              : 0;
      int bodyStart = headEnd + 4;
      responses.add(new Response(status, headers, text.substring(bodyStart, bodyStart + length)));
      at = bodyStart + length;
    }
    return responses;
  }
}
