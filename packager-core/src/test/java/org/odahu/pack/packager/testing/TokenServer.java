package org.odahu.pack.packager.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A registry token service (distribution's token authentication) that accepts one OAuth2 refresh
 * token, as {@code docker login} stores it in docker's config ({@code identitytoken}, e.g. Azure
 * Container Registry's): a {@code POST} of {@code grant_type=refresh_token} with it gets an access
 * token, a JWT signed (RS256) with a key whose self-signed certificate {@link #certificate} the
 * registry trusts; anything else is refused. The key and certificate are made by the JDK's keytool.
 * Listens on 127.0.0.1; stopped by {@link #close}.
 */
public final class TokenServer implements AutoCloseable {
  /** The service the registry names in its challenges and the tokens are for. */
  public static final String SERVICE = "odahu-pack-test-registry";

  /** The issuer the registry expects in tokens. */
  public static final String ISSUER = "odahu-pack-test-tokens";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final String STORE_PASSWORD = "odahu-pack-test";

  private final HttpServer server;
  private final PrivateKey key;
  private final X509Certificate certificate;
  private final Path certificateFile;
  private final String refreshToken;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  private TokenServer(
      HttpServer server,
      PrivateKey key,
      X509Certificate certificate,
      Path certificateFile,
      String refreshToken) {
    this.server = server;
    this.key = key;
    this.certificate = certificate;
    this.certificateFile = certificateFile;
    this.refreshToken = refreshToken;
  }

  /**
   * Starts a token service that exchanges {@code refreshToken}; its key goes to {@code directory}.
   */
  public static TokenServer start(Path directory, String refreshToken)
      throws IOException, InterruptedException, GeneralSecurityException {
    Path store = directory.resolve("tokens.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "tokens",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-sigalg",
                "SHA256withRSA",
                "-dname",
                "CN=" + ISSUER,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                STORE_PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, STORE_PASSWORD.toCharArray());
    }
    PrivateKey key = (PrivateKey) keys.getKey("tokens", STORE_PASSWORD.toCharArray());
    X509Certificate certificate = (X509Certificate) keys.getCertificate("tokens");
    Path pem =
        Files.writeString(
            directory.resolve("tokens.pem"),
            "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    TokenServer tokens = new TokenServer(server, key, certificate, pem, refreshToken);
    server.createContext("/token", tokens::answer);
    server.start();
    return tokens;
  }

  /** Where clients get tokens: the realm of the registry's challenges. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The PEM certificate of the key tokens are signed with, for the registry's root bundle. */
  public Path certificate() {
    return certificateFile;
  }

  /**
   * The requests so far, one line each: {@code GET}, or {@code POST} with its grant type and
   * whether the refresh token was the one accepted ({@code refresh_token accepted}/{@code
   * refused}).
   */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        requests.add(exchange.getRequestMethod());
        send(exchange, 401, "{\"errors\": [{\"code\": \"UNAUTHORIZED\"}]}");
        return;
      }
      String grant = null;
      String token = null;
      List<String> scopes = new ArrayList<>();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      for (String pair : body.split("&", -1)) {
        int equals = pair.indexOf('=');
        if (equals < 0) {
          continue;
        }
        String name = pair.substring(0, equals);
        String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        switch (name) {
          case "grant_type" -> grant = value;
          case "refresh_token" -> token = value;
          case "scope" -> scopes.addAll(List.of(value.split(" ", -1)));
          default -> {
            // service, client_id
          }
        }
      }
      boolean accepted = "refresh_token".equals(grant) && refreshToken.equals(token);
      requests.add("POST " + grant + (accepted ? " accepted" : " refused"));
      if (!accepted) {
        send(exchange, 401, "{\"error\": \"invalid_grant\"}");
        return;
      }
      String jwt = jwt(scopes);
      send(
          exchange,
          200,
          JSON.writeValueAsString(
              JSON.createObjectNode().put("access_token", jwt).put("expires_in", 300)));
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** An access token granting what {@code scopes} ({@code repository:NAME:ACTIONS}) ask for. */
  private String jwt(List<String> scopes) throws GeneralSecurityException, IOException {
    ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
    header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
    long now = System.currentTimeMillis() / 1000;
    ObjectNode claims =
        JSON.createObjectNode()
            .put("iss", ISSUER)
            .put("sub", "odahu-pack-test")
            .put("aud", SERVICE)
            .put("exp", now + 300)
            .put("nbf", now - 10)
            .put("iat", now)
            .put("jti", UUID.randomUUID().toString());
    ArrayNode access = claims.putArray("access");
    for (String scope : scopes) {
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      if (first < 0 || last <= first) {
        continue;
      }
      ObjectNode grant =
          access
              .addObject()
              .put("type", scope.substring(0, first))
              .put("name", scope.substring(first + 1, last));
      ArrayNode actions = grant.putArray("actions");
      for (String action : scope.substring(last + 1).split(",", -1)) {
        actions.add(action);
      }
    }
    String signed =
        URL.encodeToString(JSON.writeValueAsBytes(header))
            + "."
            + URL.encodeToString(JSON.writeValueAsBytes(claims));
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(key);
    signature.update(signed.getBytes(StandardCharsets.US_ASCII));
    return signed + "." + URL.encodeToString(signature.sign());
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
