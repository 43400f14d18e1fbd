package org.odahu.pack.server.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.odahu.pack.server.RouteOptions;
import org.odahu.pack.server.cors.CorsPolicy;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Response;

/** {@code /docs}: the page and Swagger UI's files from the jar, and {@code --no-docs}. */
class DocsPageTest {
  static Response get(boolean docs, String path) {
    EmbeddedServer server =
        EmbeddedServer.builder(new InMemoryBackend())
            .routeOptions(new RouteOptions(docs, CorsPolicy.DISABLED, "test"))
            .build();
    EmbeddedChannel channel = server.channel();
    channel.writeInbound(Unpooled.copiedBuffer(RawHttp.get(path), StandardCharsets.UTF_8));
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    Response response = null;
    // The first read of a file happens off the I/O thread: wait for the whole response.
    for (int i = 0; i < 1000 && response == null; i++) {
      channel.runPendingTasks();
      ByteBuf buffer;
      while ((buffer = channel.readOutbound()) != null) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        buffer.release();
        raw.writeBytes(bytes);
      }
      response = complete(raw.toByteArray());
      if (response == null) {
        LockSupport.parkNanos(10_000_000);
      }
    }
    assertFalse(channel.finishAndReleaseAll());
    return response;
  }

  /** The response in {@code raw} once all of it is there, else null. */
  private static Response complete(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String[] lines = text.substring(0, headEnd).split("\r\n", -1);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    if (raw.length < headEnd + 4 + length) {
      return null;
    }
    String body = new String(raw, headEnd + 4, length, StandardCharsets.UTF_8);
    return new Response(Integer.parseInt(lines[0].substring(9, 12)), headers, body);
  }

  @Test
  void thePageAndItsFilesComeFromTheJar() {
    Response redirect = get(true, "/docs");
    assertEquals(301, redirect.status());
    assertEquals("docs/", redirect.header("location"));
    Response page = get(true, "/docs/");
    assertEquals(200, page.status());
    assertEquals("text/html; charset=utf-8", page.header("content-type"));
    assertTrue(page.body().contains("swagger-ui-bundle.js"));
    Response script = get(true, "/docs/initializer.js");
    assertTrue(script.body().contains("../openapi.json"), script.body());
    assertTrue(script.body().contains("validatorUrl: null"), "nothing fetched from outside");
    Response css = get(true, "/docs/swagger-ui.css");
    assertEquals(200, css.status());
    assertEquals("text/css; charset=utf-8", css.header("content-type"));
    assertTrue(css.body().length() > 10_000);
    // The targets the router takes take the same files: absolute-form and percent-encoded.
    assertEquals(page.body(), get(true, "http://localhost/docs/").body());
    assertEquals(css.body(), get(true, "/docs/swagger-ui%2Ecss").body());
    assertEquals(404, get(true, "/docs/../pom.xml").status());
    assertEquals(404, get(true, "/docs/..%2Fpom.xml").status());
    assertEquals(404, get(true, "/docs/index.html").status());
  }

  @Test
  void noDocsIs404() {
    assertEquals(404, get(false, "/docs").status());
    assertEquals(404, get(false, "/docs/").status());
    assertEquals(200, get(false, "/openapi.json").status(), "the document stays");
  }
}
