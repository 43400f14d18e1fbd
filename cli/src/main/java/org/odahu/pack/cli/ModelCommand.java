package org.odahu.pack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.odahu.pack.commandline.Converters;
import org.odahu.pack.gppi.RequestJson;
import org.odahu.pack.pydeps.common.Redaction;
import org.odahu.pack.pydeps.common.UrlCredentials;
import org.odahu.pack.pydeps.index.CertificateBundle;
import org.odahu.pack.pydeps.index.Proxies;
import org.odahu.pack.server.PythonJson;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code model invoke|info}: call a served model, as {@code odahuflowctl model} does. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Call a running model server (like 'odahuflowctl model').",
    subcommands = {ModelCommand.Invoke.class, ModelCommand.ShowInfo.class})
final class ModelCommand extends GroupCommand {
  /**
   * JSON as Python's {@code json.loads} reads it: the whole text one value, {@code NaN} and {@code
   * Infinity} numbers.
   */
  private static final ObjectReader STRICT =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build()
          .reader();

  /** Where the model is and how to reach it. */
  static final class Target {
    @Option(
        names = "--url",
        description = "The model's URL (legacy form), e.g. http://localhost:5000.")
    String url;

    @Option(
        names = "--base-url",
        defaultValue = "${env:API_URL}",
        description = "Base URL (default $API_URL), joined with --url-prefix.")
    String baseUrl;

    @Option(
        names = {"--url-prefix", "--prefix"},
        description = "URL prefix after the base URL, e.g. :5001 or /model/wine.")
    String urlPrefix;

    @Option(
        names = {"--token", "--jwt"},
        defaultValue = "${env:API_TOKEN}",
        description =
            "Bearer token sent as Authorization (default $API_TOKEN, as odahuflowctl's; the"
                + " variable keeps it out of the process list and the shell history).")
    String token;

    @Option(
        names = "--retries",
        converter = Converters.AtLeastOne.class,
        defaultValue = "10",
        description =
            "Attempts on connection errors: refused, reset or closed (default ${DEFAULT-VALUE}).")
    int retries;

    @Option(
        names = "--retry-delay",
        converter = Converters.DecimalSeconds.class,
        defaultValue = "3",
        paramLabel = "SECONDS",
        description = "Pause between attempts (default ${DEFAULT-VALUE}).")
    double retryDelay;

    @Option(
        names = "--timeout",
        converter = Converters.DecimalSeconds.class,
        defaultValue = "300",
        paramLabel = "SECONDS",
        description = "How long to wait for the answer (default ${DEFAULT-VALUE}).")
    double timeout;

    @Option(
        names = "--ca-bundle",
        paramLabel = "FILE",
        description =
            "PEM certificates of authorities to trust besides the JDK's, for a model behind a"
                + " company's own CA; a file or a directory (default $REQUESTS_CA_BUNDLE, else"
                + " $CURL_CA_BUNDLE, as odahuflowctl's requests reads them).")
    Path caBundle;

    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    /** A command-line mistake: exit status 2 and the usage hint. */
    private CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(command.commandLine(), message);
    }

    String modelUrl() {
      if (url != null && !url.isBlank()) {
        return stripSlash(url);
      }
      if (urlPrefix == null) {
        throw usage("Cannot create a model url: pass --url, or --base-url and --url-prefix");
      }
      if (baseUrl == null || baseUrl.isBlank()) {
        throw usage("Base url is required (--base-url or $API_URL)");
      }
      String prefix =
          baseUrl.endsWith("/") && urlPrefix.startsWith("/") ? urlPrefix.substring(1) : urlPrefix;
      return stripSlash(baseUrl + prefix);
    }

    /**
     * {@code path} under the model's URL, before its query string if it has one.
     *
     * @throws IllegalArgumentException if the URL is not an HTTP(S) URL
     */
    String endpoint(String path) {
      // A login in the URL is sent as Basic authentication (see send), as requests sends it, and
      // kept out of the address every message shows: modelUri has none.
      URI base = modelUri();
      String authority = base.getRawAuthority();
      String query = base.getRawQuery() == null ? "" : "?" + base.getRawQuery();
      String basePath = base.getRawPath() == null ? "" : stripSlash(base.getRawPath());
      return base.getScheme() + "://" + authority + basePath + path + query;
    }

    /** The model's URL, checked, without its login. */
    private URI modelUri() {
      String model = modelUrl();
      URI base;
      try {
        base = new URI(login().address());
      } catch (java.net.URISyntaxException e) {
        throw notAUrl(model, e.getReason());
      }
      boolean http =
          "http".equalsIgnoreCase(base.getScheme()) || "https".equalsIgnoreCase(base.getScheme());
      if (!http || base.getRawAuthority() == null) {
        throw usage(
            "The model's URL must start with http:// or https://, got "
                + Redaction.malformedUrl(model));
      }
      if (base.getHost() == null) {
        // java.net.URI takes "127.0.0.1:-1" or "host:80abc" for a registry name, with no host.
        throw notAUrl(model, "no host, or a port that is not a number from 0 to 65535");
      }
      if (base.getPort() > 65535) {
        throw notAUrl(model, "port " + base.getPort() + " is out of range, 0 to 65535");
      }
      return base;
    }

    /** {@code model} is no URL, for {@code why}; nothing that may be its password is repeated. */
    private CommandLine.ParameterException notAUrl(String model, String why) {
      return usage(
          "The model's URL (--url, or --base-url and --url-prefix) is not a URL: "
              + Redaction.malformedUrl(model)
              + " ("
              + why
              + ")");
    }

    /** The model's URL split from its login, as requests splits it (a password may hold @). */
    private UrlCredentials login() {
      String model = modelUrl();
      try {
        return UrlCredentials.split(model);
      } catch (IllegalArgumentException e) {
        throw notAUrl(model, e.getMessage());
      }
    }

    /** The {@code Authorization} header: the token, else the URL's login, else none. */
    private String authorization() {
      if (token != null && !token.isBlank()) {
        if (token.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
          // The JDK's refusal would quote the header, token included.
          throw new IllegalArgumentException(
              "The token (--token or $API_TOKEN) holds a control character, e.g. a line end"
                  + " from a file written on Windows: it cannot be sent");
        }
        return "Bearer " + token;
      }
      UrlCredentials login = login();
      if (!login.present()) {
        return null;
      }
      return "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString(
                  (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String stripSlash(String value) {
      return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /**
     * Sends a request, following redirects and retrying on connection errors; fails on a final
     * status outside 200–299 and on an empty answer.
     */
    JsonNode send(HttpRequest.Builder request, String endpoint) {
      String authorization = authorization();
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      if (!(timeout > 0)) {
        throw usage("--timeout must be positive, got " + timeout);
      }
      if (retries < 1) {
        throw usage("--retries must be at least 1, got " + retries);
      }
      if (!(retryDelay >= 0)) {
        throw usage("--retry-delay must not be negative, got " + retryDelay);
      }
      // Through HTTP_PROXY/HTTPS_PROXY unless NO_PROXY names the host, as requests goes.
      HttpClient.Builder builder =
          Proxies.fromEnvironment(System.getenv(), null)
              .checked()
              .applyTo(
                  HttpClient.newBuilder()
                      .connectTimeout(Duration.ofSeconds(10))
                      .followRedirects(HttpClient.Redirect.NEVER));
      Optional.ofNullable(caBundle)
          .map(path -> new CertificateBundle(path, "--ca-bundle"))
          .or(() -> CertificateBundle.fromEnvironment(System.getenv()))
          .ifPresent(bundle -> builder.sslContext(bundle.sslContext()));
      HttpClient client = builder.build();
      // Redirects followed as odahuflowctl's requests follows them (an ingress' http -> https, a
      // moved model), here rather than by the JDK, whose handling of Authorization across hosts
      // depends on its update: the token never goes to another host, and never from HTTPS to HTTP.
      HttpRequest current = request.build();
      HttpResponse<String> response = attempt(client, current, endpoint);
      for (int hop = 0; hop < MAX_REDIRECTS && isRedirect(response); hop++) {
        URI next = current.uri().resolve(response.headers().firstValue("Location").orElseThrow());
        if ("https".equalsIgnoreCase(current.uri().getScheme())
            && !"https".equalsIgnoreCase(next.getScheme())) {
          throw new IllegalStateException(endpoint + " redirects from HTTPS to " + next);
        }
        boolean sameOrigin =
            next.getScheme().equalsIgnoreCase(current.uri().getScheme())
                && String.valueOf(next.getHost()).equalsIgnoreCase(current.uri().getHost())
                && next.getPort() == current.uri().getPort();
        HttpRequest.Builder redirected =
            HttpRequest.newBuilder(
                    current, (name, value) -> sameOrigin || !name.equalsIgnoreCase("Authorization"))
                .uri(next);
        int status = response.statusCode();
        if (status == 303
            || ((status == 301 || status == 302) && current.method().equals("POST"))) {
          redirected.GET();
        }
        current = redirected.build();
        response = attempt(client, current, endpoint);
      }
      if (response.statusCode() < 200 || response.statusCode() > 299) {
        throw new IllegalStateException(
            "Wrong status code returned: "
                + response.statusCode()
                + ". Data: \""
                + response.body()
                + "\". URL: \""
                + endpoint
                + "\"");
      }
      if (response.body().isBlank()) {
        throw new IllegalStateException(
            endpoint + " answered " + response.statusCode() + " with no body, not a JSON answer");
      }
      try {
        return STRICT.readTree(response.body());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(
            "The model server answered something that is not JSON: " + response.body(), e);
      }
    }

    private static final int MAX_REDIRECTS = 5;

    private static boolean isRedirect(HttpResponse<?> response) {
      return List.of(301, 302, 303, 307, 308).contains(response.statusCode())
          && response.headers().firstValue("Location").isPresent();
    }

    /**
     * Sends {@code request}, retrying on connection errors. {@code --timeout} bounds the whole
     * answer, its body too: a server that stalls after its headers is not waited for.
     */
    private HttpResponse<String> attempt(HttpClient client, HttpRequest request, String endpoint) {
      for (int attempt = 1; ; attempt++) {
        CompletableFuture<HttpResponse<String>> answer =
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
          return answer.get(Math.max(1, (long) (timeout * 1000)), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          answer.cancel(true);
          throw new IllegalStateException(
              endpoint + " did not answer within " + timeout + " s (--timeout)", e);
        } catch (InterruptedException e) {
          answer.cancel(true);
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted", e);
        } catch (ExecutionException e) {
          switch (e.getCause()) {
            // Not a connection error to wait out: a certificate is not trusted, or TLS is off.
            case SSLException tls ->
                throw new IllegalStateException(
                    "TLS with "
                        + endpoint
                        + " failed: "
                        + tls.getMessage()
                        + " (an authority of your own: --ca-bundle or $REQUESTS_CA_BUNDLE)",
                    tls);
            // Refused, reset or closed, or no connection within 10 s: as odahuflowctl.
            case IOException connection -> failedToConnect(connection, attempt, endpoint);
            case Throwable other -> throw new IllegalStateException(String.valueOf(other), other);
          }
        }
      }
    }

    /** Pauses before the next attempt, or fails after the last. */
    private void failedToConnect(IOException failure, int attempt, String endpoint) {
      if (attempt >= retries) {
        String reason =
            failure instanceof ConnectException
                ? "is the model server running?"
                : String.valueOf(failure.getMessage());
        throw new IllegalStateException(
            "Cannot connect to "
                + endpoint
                + " ("
                + attempt
                + (attempt == 1 ? " attempt): " : " attempts): ")
                + reason,
            failure);
      }
      // Said at each attempt, as odahuflowctl's urllib3 warns: not tens of seconds of silence.
      command
          .commandLine()
          .getErr()
          .printf(
              "Cannot connect to %s (%s); attempt %d of %d in %s s (--retries, --retry-delay)%n",
              endpoint,
              failure instanceof ConnectException
                  ? "connection refused"
                  : String.valueOf(failure.getMessage()),
              attempt + 1,
              retries,
              retryDelay == Math.rint(retryDelay) ? Long.toString((long) retryDelay) : retryDelay);
      command.commandLine().getErr().flush();
      pause();
    }

    private void pause() {
      try {
        Thread.sleep(Duration.ofMillis((long) (retryDelay * 1000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted", e);
      }
    }
  }

  /** The request body. */
  static final class Body {
    @Option(
        names = "--json",
        required = true,
        description = "Request body, e.g. '{\"columns\": [...], \"data\": [[...]]}'.")
    String json;

    @Option(
        names = {"--json-file", "--file"},
        required = true,
        description = "File with the request body.")
    Path file;

    String text() {
      if (json != null) {
        return json;
      }
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new IllegalArgumentException(
            "Cannot read the JSON file " + file + ": it is not UTF-8 text", e);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IllegalArgumentException(
            "Cannot read the JSON file " + file + ": no such file", e);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "Cannot read the JSON file " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** {@code model invoke}: POST the body to {@code <url>/api/model/invoke}, print the answer. */
  @Command(
      name = "invoke",
      mixinStandardHelpOptions = true,
      description = "Ask a served model for a prediction.")
  static final class Invoke implements Callable<Integer> {
    @Mixin Target target;

    @ArgGroup(multiplicity = "1")
    Body body;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String text = body.text();
      String source = body.file != null ? body.file.toString() : "--json";
      JsonNode parsed;
      try {
        parsed = STRICT.readTree(text);
      } catch (JsonProcessingException e) {
        throw target.usage(
            "The request body is not valid JSON ("
                + source
                + "): "
                + RequestJson.describe(e, true));
      }
      if (parsed == null || parsed.isMissingNode()) {
        throw target.usage("The request body is empty (" + source + ")");
      }
      String endpoint = target.endpoint("/api/model/invoke");
      JsonNode answer =
          target.send(
              HttpRequest.newBuilder(URI.create(endpoint))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)),
              endpoint);
      spec.commandLine().getOut().println(PythonJson.dumps(answer));
      return 0;
    }
  }

  /** {@code model info}: GET {@code <url>/api/model/info}. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Print a served model's Swagger document.")
  static final class ShowInfo implements Callable<Integer> {
    @Mixin Target target;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String endpoint = target.endpoint("/api/model/info");
      JsonNode swagger = target.send(HttpRequest.newBuilder(URI.create(endpoint)).GET(), endpoint);
      spec.commandLine().getOut().println(PythonJson.indented(swagger));
      return 0;
    }
  }
}
