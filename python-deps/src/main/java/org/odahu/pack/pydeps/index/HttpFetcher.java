package org.odahu.pack.pydeps.index;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP GETs to package sources: basic auth for the host a credential belongs to (from the source
 * URL or {@code .netrc}), redirects followed without carrying credentials to other hosts, plain
 * HTTP only to loopback or trusted hosts, and errors that name the URL without credentials.
 */
final class HttpFetcher {
  private static final int MAX_REDIRECTS = 10;

  /**
   * The most a page or metadata file may hold: PyPI's largest simple pages are a few MiB; an
   * endless or huge answer fails instead of exhausting the heap.
   */
  static final int MAX_PAGE_BYTES = 128 << 20;

  /** A response with its body, as sent. */
  static final class Response {
    private final int status;
    private final String contentType;
    private final byte[] bytes;
    private final URI uri;

    Response(int status, String contentType, byte[] bytes, URI uri) {
      this.status = status;
      this.contentType = contentType;
      this.bytes = bytes;
      this.uri = uri;
    }

    int status() {
      return status;
    }

    String contentType() {
      return contentType;
    }

    /** The body as sent. */
    byte[] bytes() {
      return bytes.clone();
    }

    /** The body as UTF-8 text. */
    String body() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Where the body came from, after redirects. */
    URI uri() {
      return uri;
    }
  }

  private final Map<String, SourceLocation> credentials = new HashMap<>();
  private final Set<String> trustedHosts;
  private final Netrc netrc;
  private final Duration timeout;
  private final Proxies proxies;
  private final HttpClient client;
  private HttpClient trustingClient;

  HttpFetcher(
      List<SourceLocation> locations,
      Set<String> trustedHosts,
      Netrc netrc,
      Duration timeout,
      Proxies proxies,
      Optional<CertificateBundle> certificates) {
    locations.stream()
        .filter(SourceLocation::hasCredentials)
        .forEach(l -> credentials.putIfAbsent(l.authority(), l));
    this.trustedHosts = Set.copyOf(trustedHosts);
    this.netrc = netrc;
    this.timeout = timeout;
    this.proxies = proxies.checked();
    HttpClient.Builder builder = newClient();
    certificates.ifPresent(bundle -> builder.sslContext(bundle.sslContext()));
    this.client = builder.build();
  }

  /** A client through the proxies, if any ({@link Proxies#applyTo}). */
  private HttpClient.Builder newClient() {
    return proxies.applyTo(
        HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER));
  }

  /** GETs {@code uri}; a 404 is returned, any other failure throws. */
  Response get(URI uri, String accept) {
    try {
      HttpResponse<InputStream> response =
          send(uri, accept, HttpResponse.BodyHandlers.ofInputStream(), null);
      String type = response.headers().firstValue("Content-Type").orElse("");
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (!copy(response.body(), body, MAX_PAGE_BYTES, null)) {
        throw new PackageSourceException(
            response.uri() + " sent more than " + (MAX_PAGE_BYTES >> 20) + " MiB: not a page");
      }
      return new Response(response.statusCode(), type, body.toByteArray(), response.uri());
    } catch (IOException e) {
      throw unreachable(uri, e);
    }
  }

  /**
   * Downloads {@code uri} to {@code file}; returns the content's sha256 (hex). The credentials of
   * {@code location}, the URL the file was named by (a direct reference {@code foo @
   * https://user:secret@host/...}, or the index or page that listed it), go to its own host only,
   * ahead of those registered for that host.
   *
   * @throws IOException when {@code file} cannot be written (a full disk): the caller knows what it
   *     is; what the server or the network did throws a {@link PackageSourceException}
   */
  String download(URI uri, Path file, SourceLocation location) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = send(uri, "*/*", HttpResponse.BodyHandlers.ofInputStream(), location);
    } catch (IOException e) {
      throw unreachable(uri, e);
    }
    if (response.statusCode() == 404) {
      response.body().close();
      throw new PackageSourceException("Not found (HTTP 404): " + uri);
    }
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream body = response.body();
        OutputStream out = Files.newOutputStream(file)) {
      try {
        copy(body, out, Long.MAX_VALUE, sha256);
      } catch (FileWriteException e) {
        throw e.getCause();
      } catch (IOException e) {
        throw unreachable(uri, e);
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** A failure to write what was read, told apart from the server's and the network's. */
  private static final class FileWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    FileWriteException(IOException cause) {
      super(cause.getMessage(), cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  /**
   * Copies {@code in} (closed here) to {@code out}, at most {@code limit} bytes; false if there was
   * more. The JDK's request timeout ends with the headers: a body that sends nothing for the
   * timeout is closed by a watchdog, so a stalled server fails the read instead of hanging it.
   */
  private boolean copy(InputStream in, OutputStream out, long limit, MessageDigest digest)
      throws IOException {
    AtomicLong lastRead = new AtomicLong(System.nanoTime());
    AtomicBoolean stalled = new AtomicBoolean();
    long period = Math.max(50, timeout.toMillis() / 4);
    ScheduledFuture<?> watchdog =
        WATCHDOG.scheduleAtFixedRate(
            () -> {
              if (System.nanoTime() - lastRead.get() > timeout.toNanos()
                  && !stalled.getAndSet(true)) {
                try {
                  in.close();
                } catch (IOException e) {
                  // closed already
                }
              }
            },
            period,
            period,
            TimeUnit.MILLISECONDS);
    try (in) {
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        lastRead.set(System.nanoTime());
        if (total + n > limit) {
          return false;
        }
        total += n;
        if (digest != null) {
          digest.update(buffer, 0, n);
        }
        try {
          out.write(buffer, 0, n);
        } catch (IOException e) {
          throw new FileWriteException(e);
        }
      }
      return true;
    } catch (FileWriteException e) {
      throw e;
    } catch (IOException e) {
      if (stalled.get()) {
        throw new HttpTimeoutException("no data for " + timeout.toSeconds() + " s");
      }
      throw e;
    } finally {
      watchdog.cancel(false);
    }
  }

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "odahu-pack-http-watchdog");
            thread.setDaemon(true);
            return thread;
          });

  private <T> HttpResponse<T> send(
      URI first, String accept, HttpResponse.BodyHandler<T> handler, SourceLocation own)
      throws IOException {
    URI uri = first;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      checkSecure(uri);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET();
      Optional<String[]> login = login(uri, own);
      login.ifPresent(l -> request.header("Authorization", basic(l[0], l[1])));
      HttpResponse<T> response;
      try {
        response = clientFor(uri).send(request.build(), handler);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PackageSourceException("Interrupted while fetching " + uri);
      }
      int status = response.statusCode();
      Optional<String> location = response.headers().firstValue("Location");
      if (status >= 300 && status < 400 && location.isPresent()) {
        close(response);
        URI from = uri;
        try {
          uri = from.resolve(location.get());
        } catch (IllegalArgumentException e) {
          throw new PackageSourceException(from + " redirects to a malformed URL");
        }
        if (!SimplePages.isHttp(uri.getScheme()) || uri.getHost() == null) {
          throw new PackageSourceException(from + " redirects off HTTP(S), which is not followed");
        }
        continue;
      }
      if (status == 200 || status == 404) {
        return response;
      }
      close(response);
      throw failed(uri, status, login);
    }
    throw new PackageSourceException("Too many redirects from " + first);
  }

  private static void close(HttpResponse<?> response) throws IOException {
    if (response.body() instanceof InputStream in) {
      in.close();
    }
  }

  /**
   * Why {@code uri} failed; names the user of a rejected login, but not a lone token ({@code
   * https://TOKEN@host/}, a user name without a password), which is the secret itself.
   */
  private static PackageSourceException failed(URI uri, int status, Optional<String[]> login) {
    if (status == 401) {
      return new PackageSourceException(
          login
              .map(
                  l ->
                      l[1].isEmpty()
                          ? uri + " refused the token given for it (HTTP 401): check the token"
                          : uri
                              + " refused the credentials of user '"
                              + l[0]
                              + "' (HTTP 401): check the password or token")
              .orElse(
                  uri
                      + " needs credentials (HTTP 401): put them in the URL that names it (the index, find-links or direct"
                      + " reference URL, as user:password followed by @ before the host) or in ~/.netrc"));
    }
    if (status == 403) {
      return new PackageSourceException(uri + " refused access (HTTP 403)");
    }
    return new PackageSourceException(uri + " answered HTTP " + status);
  }

  private PackageSourceException unreachable(URI uri, IOException e) {
    PackageSourceException direct = unreachableDirectly(uri, e);
    return proxies
        .proxyFor(uri)
        .map(
            proxy ->
                new PackageSourceException(
                    direct.getMessage() + " (through the proxy " + Proxies.address(proxy) + ")"))
        .orElse(direct);
  }

  private static PackageSourceException unreachableDirectly(URI uri, IOException e) {
    String why;
    if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
      why = "timed out";
    } else if (e instanceof ConnectException) {
      why = "connection refused";
    } else if (e instanceof javax.net.ssl.SSLException) {
      why =
          "TLS failed ("
              + e.getMessage()
              + "); name its authority's certificate in PIP_CERT (a PEM file), or list the host"
              + " in PIP_TRUSTED_HOST to accept any certificate";
    } else {
      why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    return new PackageSourceException("Cannot reach " + uri + ": " + why);
  }

  private void checkSecure(URI uri) {
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      return;
    }
    String host = uri.getHost();
    if (host == null) {
      // Set.contains(null) throws; SourceLocation refuses such URLs, a redirect's are checked too.
      throw new PackageSourceException(uri + " names no host");
    }
    if (trustedHosts.contains(host)
        || trustedHosts.contains(host + ":" + uri.getPort())
        || isLoopback(host)) {
      return;
    }
    throw new PackageSourceException(
        uri
            + " is plain HTTP: use HTTPS, or list '"
            + host
            + "' in PIP_TRUSTED_HOST (pip's --trusted-host)");
  }

  private static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    if (host.equals("localhost")) {
      return true;
    }
    try {
      return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")
          && InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The user and password for {@code uri}: {@code own}'s if it has some for that very host, else
   * those of a source for that host, else the {@code .netrc} entry.
   */
  private Optional<String[]> login(URI uri, SourceLocation own) {
    String authority = SourceLocation.authority(uri);
    SourceLocation location =
        own != null && own.hasCredentials() && own.authority().equals(authority)
            ? own
            : credentials.get(authority);
    if (location != null) {
      return Optional.of(new String[] {location.username(), location.password()});
    }
    return netrc.forHost(uri.getHost()).map(l -> new String[] {l.username(), l.password()});
  }

  private static String basic(String user, String password) {
    String pair = user + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private HttpClient clientFor(URI uri) {
    boolean trusted =
        "https".equalsIgnoreCase(uri.getScheme())
            && (trustedHosts.contains(uri.getHost())
                || trustedHosts.contains(uri.getHost() + ":" + uri.getPort()));
    if (!trusted) {
      return client;
    }
    synchronized (this) {
      if (trustingClient == null) {
        trustingClient = newClient().sslContext(TrustAll.context()).build();
      }
      return trustingClient;
    }
  }
}
