package org.odahu.pack.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.gppi.InvalidOptionsException.Problem;
import org.odahu.pack.logging.LogFormat;
import org.odahu.pack.server.capture.s3.S3CaptureOptions;
import org.odahu.pack.server.cors.CorsPolicy;
import org.odahu.pack.server.http.HttpLimits;
import org.odahu.pack.server.metrics.BuildInfo;

/**
 * Everything the model server is configured with, built once from flags and environment: the
 * server's own settings and the {@link BackendOptions} of the model it runs. Invalid settings are
 * reported all at once, each by its {@code serve} flag.
 *
 * @param artifact the model artifact (directory or archive)
 * @param host the address to bind
 * @param port the port to bind ({@code 0} picks a free one)
 * @param ioThreads Netty I/O threads (ODAHU's {@code threads}: how many connections are served
 *     concurrently; model calls never run on them)
 * @param maxBodyBytes the largest request body; larger ones get 413
 * @param captureDir where request/response and feedback records go; {@code null} disables capture
 * @param captureQueueCapacity records that may wait for the disk before new ones are dropped
 * @param s3Capture where request/response and feedback records go in object storage; {@code null}
 *     unless {@code --capture-url} is {@code s3://}
 * @param prohibitedHeaders request and response headers never stored in capture records
 * @param modelName the model name reported in headers and swagger; {@code null}: the manifest's
 * @param modelVersion the model version likewise
 * @param v2ModelName the name the Open Inference Protocol serves the model under ({@code
 *     /v2/models/<name>}), e.g. a KServe InferenceService's; {@code null}: the model's name. It
 *     renames nothing else: headers, swagger, metrics and capture records keep the model's name
 * @param accessLog whether to write one access log line per request
 * @param backend how the model runs: runtime, interpreter, workers, timeouts, queue, batching
 * @param httpLimits connections, request time and buffered bodies the HTTP edge allows
 * @param accessLogProbes whether successful health probes and metrics scrapes are access-logged
 * @param logFormat how the access log is written (the server log's format is set where the process
 *     configures logging)
 * @param docs whether {@code GET /docs} (Swagger UI) is served
 * @param corsOrigins browser origins allowed to call the server (CORS); empty: CORS off
 */
public record ServerConfig(
    Path artifact,
    String host,
    int port,
    int ioThreads,
    int maxBodyBytes,
    Path captureDir,
    int captureQueueCapacity,
    S3CaptureOptions s3Capture,
    Set<String> prohibitedHeaders,
    String modelName,
    String modelVersion,
    String v2ModelName,
    boolean accessLog,
    BackendOptions backend,
    HttpLimits httpLimits,
    boolean accessLogProbes,
    LogFormat logFormat,
    boolean docs,
    List<String> corsOrigins) {

  /** The address bound unless set. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The port bound unless set (ODAHU's). */
  public static final int DEFAULT_PORT = 5000;

  /** Netty I/O threads unless set (ODAHU's gunicorn {@code threads}). */
  public static final int DEFAULT_IO_THREADS = 4;

  /** The largest request body unless set: 32 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 32 << 20;

  /** Capture records that may wait for the disk unless set. */
  public static final int DEFAULT_CAPTURE_QUEUE_CAPACITY = 10_000;

  /**
   * Headers that carry credentials or identities, comma-separated: ODAHU's rq-catcher default, and
   * the other headers that commonly carry credentials (cookies, proxy credentials, API keys, the
   * tokens an auth proxy such as oauth2-proxy, an AWS load balancer's OIDC or Google's IAP
   * forwards, generic token headers, AWS session tokens, the API key headers of API gateways,
   * Google, GitLab and Vault, Azure App Service's token and Kong's user information), the
   * identities an auth proxy forwards (oauth2-proxy's, as ODAHU's {@code x-user} and {@code
   * x-email}), CSRF tokens and a mesh's forwarded client certificate.
   */
  public static final String DEFAULT_PROHIBITED_HEADER_LIST =
      "authorization,x-jwt,x-user,x-email,cookie,set-cookie,proxy-authorization,x-api-key,"
          + "x-forwarded-access-token,x-auth-request-access-token,x-id-token,"
          + "x-amzn-oidc-accesstoken,x-amzn-oidc-data,x-goog-iap-jwt-assertion,x-auth-token,"
          + "x-access-token,x-amz-security-token,apikey,api-key,x-goog-api-key,private-token,"
          + "x-vault-token,x-api-token,x-forwarded-authorization,x-ms-token-aad-access-token,"
          + "x-userinfo,x-forwarded-user,x-forwarded-email,x-forwarded-preferred-username,"
          + "x-forwarded-groups,x-auth-request-user,x-auth-request-email,"
          + "x-auth-request-preferred-username,x-auth-request-groups,x-csrf-token,x-xsrf-token,"
          + "x-forwarded-client-cert";

  /** {@link #DEFAULT_PROHIBITED_HEADER_LIST} as a set. */
  public static final Set<String> DEFAULT_PROHIBITED_HEADERS =
      Set.of(DEFAULT_PROHIBITED_HEADER_LIST.split(","));

  /** Whether the docs page is served unless set. */
  public static final boolean DEFAULT_DOCS = true;

  /** Whether requests are logged unless set. */
  public static final boolean DEFAULT_ACCESS_LOG = true;

  /** Whether successful health probes and metrics scrapes are logged unless set. */
  public static final boolean DEFAULT_ACCESS_LOG_PROBES = false;

  /** The {@code serve} flag of each {@link BackendOptions} and {@link BatchingPolicy} component. */
  private static final Map<String, String> FLAGS =
      Map.of(
          "runtime", "--runtime",
          "inputMatrix", "--input-matrix",
          "python", "--python",
          "workers", "--workers",
          "timeout", "--timeout",
          "queueCapacity", "--queue-size",
          "startTimeout", "--start-timeout",
          "maxFrameBytes", "--max-body-size",
          "maxRows", "--max-batch-rows",
          "maxDelay", "--max-batch-delay");

  /**
   * Checks every setting and reports all problems at once.
   *
   * @throws InvalidOptionsException naming each invalid setting by its flag
   */
  public ServerConfig {
    List<Problem> problems = new ArrayList<>();
    if (artifact == null) {
      problems.add(new Problem("ARTIFACT", "is required: a model artifact"));
    }
    if (host == null || host.isBlank()) {
      problems.add(new Problem("--host", "must not be empty"));
    } else if (!resolves(host)) {
      problems.add(
          new Problem(
              "--host", "must be an IP address or a name that resolves, got '" + host + "'"));
    }
    if (port < 0 || port > 65535) {
      problems.add(new Problem("--port", "must be between 0 and 65535, got " + port));
    }
    if (v2ModelName != null && (v2ModelName.isBlank() || v2ModelName.contains("/"))) {
      problems.add(
          new Problem(
              "--v2-model-name",
              "must be a path segment (not empty, no '/'), got '" + v2ModelName + "'"));
    }
    if (ioThreads < 1) {
      problems.add(new Problem("--threads", "must be at least 1, got " + ioThreads));
    }
    if (maxBodyBytes < 1) {
      problems.add(new Problem("--max-body-size", "must be positive, got " + maxBodyBytes));
    }
    if (captureQueueCapacity < 1) {
      problems.add(
          new Problem("--capture-queue-size", "must be at least 1, got " + captureQueueCapacity));
    }
    if (captureDir != null && s3Capture != null) {
      problems.add(new Problem("--capture-url", "cannot be used with --capture-dir: choose one"));
    }
    if (prohibitedHeaders == null) {
      problems.add(new Problem("--prohibited-headers", "must be set"));
    }
    if (backend == null) {
      problems.add(new Problem("backend", "must be set"));
    } else {
      problems.addAll(runtimeProblems(backend));
    }
    problems.addAll(bufferProblems(httpLimits, maxBodyBytes));
    if (logFormat == null) {
      problems.add(new Problem("--log-format", "must be set"));
    }
    corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
    for (String origin : corsOrigins) {
      String problem = CorsPolicy.problem(origin);
      if (problem != null) {
        problems.add(new Problem("--cors-origins", problem));
      }
    }
    InvalidOptionsException.throwIfAny(problems);
    prohibitedHeaders =
        prohibitedHeaders.stream()
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Whether the server could bind {@code host}: checked before the model starts, not after. */
  private static boolean resolves(String host) {
    try {
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Other runtimes may exist as libraries; the server offers these two. */
  private static List<Problem> runtimeProblems(BackendOptions backend) {
    String runtime = backend.runtime();
    return BackendOptions.CPYTHON.equals(runtime) || BackendOptions.GRAALPY.equals(runtime)
        ? List.of()
        : List.of(new Problem("--runtime", "must be cpython or graalpy, got " + runtime));
  }

  /** Buffered bodies are at least one body, or no body could ever be read. */
  private static List<Problem> bufferProblems(HttpLimits limits, int maxBodyBytes) {
    if (limits == null) {
      return List.of(new Problem("httpLimits", "must be set"));
    }
    long buffered = limits.maxBufferedBytes();
    return buffered > 0 && buffered < maxBodyBytes
        ? List.of(
            new Problem(
                "--max-buffered-bytes",
                "must be at least --max-body-size (" + maxBodyBytes + "), got " + buffered))
        : List.of();
  }

  /** The routes' options: the docs page, CORS, this build's version. */
  public RouteOptions routeOptions() {
    return new RouteOptions(docs, new CorsPolicy(corsOrigins), BuildInfo.version());
  }

  /** The {@code serve} flag of a backend option, or the option's own name when it has none. */
  static String flag(String backendOption) {
    return FLAGS.getOrDefault(backendOption, backendOption);
  }

  /**
   * A builder with the {@code DEFAULT_*} constants here, in {@link BackendOptions} and in {@link
   * HttpLimits}.
   */
  public static ServerConfigBuilder builder(Path artifact) {
    return new ServerConfigBuilder(artifact);
  }
}
