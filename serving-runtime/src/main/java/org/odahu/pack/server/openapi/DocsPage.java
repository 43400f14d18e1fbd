package org.odahu.pack.server.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.RequestRejectedException;
import org.odahu.pack.server.http.Service;

/**
 * {@code GET /docs}: Swagger UI on {@code /openapi.json}, its files served from the {@code
 * org.webjars:swagger-ui} jar on the class path (no CDN, nothing fetched from elsewhere). {@code
 * /docs} redirects to {@code /docs/} so that the page's relative links work behind a path prefix.
 * Files are read once, off the I/O threads, and kept.
 */
public final class DocsPage implements Service {
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String OWN = "org/odahu/pack/server/openapi/";

  /** The files the page uses, and their content types. */
  private static final Map<String, String> FILES =
      Map.of(
          "", "text/html; charset=utf-8",
          "initializer.js", "text/javascript; charset=utf-8",
          "swagger-ui.css", "text/css; charset=utf-8",
          "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
          "favicon-32x32.png", "image/png",
          "favicon-16x16.png", "image/png");

  private final Executor loader;
  private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

  /**
   * @param loader where files are read from the jar the first time they are asked for
   */
  public DocsPage(Executor loader) {
    this.loader = loader;
  }

  @Override
  public CompletionStage<ApiResponse> serve(ApiRequest request) {
    String path = request.path();
    if (path.equals("/docs")) {
      return CompletableFuture.completedFuture(
          new ApiResponse(301, new byte[0], "text/plain", Map.of("Location", "docs/")));
    }
    String name = path.startsWith("/docs/") ? path.substring("/docs/".length()) : null;
    String contentType = name == null ? null : FILES.get(name);
    if (contentType == null) {
      throw new RequestRejectedException(404, "Not found: " + path);
    }
    byte[] known = loaded.get(name);
    CompletionStage<byte[]> body =
        known != null
            ? CompletableFuture.completedFuture(known)
            : CompletableFuture.supplyAsync(
                () -> loaded.computeIfAbsent(name, DocsPage::read), loader);
    // The page itself may change with the server; Swagger UI's files only with the webjar.
    String cache = name.isEmpty() || name.equals("initializer.js") ? "no-cache" : "max-age=86400";
    return body.thenApply(
        bytes ->
            new ApiResponse(
                200,
                bytes.clone(),
                contentType,
                Map.of("Cache-Control", cache, "X-Content-Type-Options", "nosniff")));
  }

  private static byte[] read(String name) {
    String resource =
        switch (name) {
          case "" -> OWN + "docs.html";
          case "initializer.js" -> OWN + "docs-initializer.js";
          default -> WEBJAR + webjarVersion() + "/" + name;
        };
    try (InputStream in = DocsPage.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing from the class path: " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The version of the swagger-ui webjar on the class path, from its Maven properties. */
  static String webjarVersion() {
    String resource = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    try (InputStream in = DocsPage.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("The swagger-ui webjar is not on the class path");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
