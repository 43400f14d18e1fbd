package org.odahu.pack.packager.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for ECR's API on loopback (no ECR runs here), for tests of the code that calls it:
 * {@code CreateRepository} (a name it has seen is refused as AWS refuses it) and {@code
 * GetAuthorizationToken} (always {@code AWS:} + {@link #PASSWORD}), in the SDK's JSON 1.1 protocol.
 * With {@link #refuseKeys(String)} every call gets AWS's answer to unknown keys, quoting them.
 */
public final class EcrApi implements AutoCloseable {
  /** The password in every login token. */
  public static final String PASSWORD = "eyJwYXlsb2FkIjoi";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.";

  /** One call: its action, its {@code Authorization} header and its body. */
  public record Call(String action, String authorization, JsonNode body) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Set<String> repositories = ConcurrentHashMap.newKeySet();
  private final HttpServer server;
  private volatile String refusal;

  private EcrApi(HttpServer server) {
    this.server = server;
  }

  /** Starts one on a free loopback port. */
  public static EcrApi start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      EcrApi api = new EcrApi(server);
      server.createContext("/", api::answer);
      server.start();
      return api;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Its endpoint, for the SDK's endpoint override. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers every call from now on as AWS answers unknown keys, quoting {@code quoted}. */
  public void refuseKeys(String quoted) {
    refusal = "The security token included in the request is invalid: " + quoted;
  }

  /** The calls so far. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The actions of the calls so far. */
  public List<String> actions() {
    return calls.stream().map(Call::action).toList();
  }

  public void clear() {
    calls.clear();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String action = target == null ? "" : target.replace(TARGET, "");
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    calls.add(new Call(action, exchange.getRequestHeaders().getFirst("Authorization"), body));
    if (refusal != null) {
      reply(exchange, 400, error("UnrecognizedClientException", refusal));
      return;
    }
    switch (action) {
      case "CreateRepository" -> {
        String name = body.path("repositoryName").asText();
        if (!repositories.add(name)) {
          reply(
              exchange,
              400,
              error(
                  "RepositoryAlreadyExistsException",
                  "The repository with name '" + name + "' already exists"));
          return;
        }
        reply(exchange, 200, "{\"repository\":{\"repositoryName\":\"" + name + "\"}}");
      }
      case "GetAuthorizationToken" -> {
        String token =
            Base64.getEncoder()
                .encodeToString(("AWS:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        reply(
            exchange,
            200,
            "{\"authorizationData\":[{\"authorizationToken\":\""
                + token
                + "\",\"expiresAt\":1.7649E9}]}");
      }
      default -> reply(exchange, 400, error("UnknownOperationException", action));
    }
  }

  private static String error(String type, String message) {
    return "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}";
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
