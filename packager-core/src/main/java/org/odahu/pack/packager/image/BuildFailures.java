package org.odahu.pack.packager.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import com.google.cloud.tools.jib.http.ResponseException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.odahu.pack.artifact.files.DiskSpace;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryCredentials;

/**
 * Turns what Jib throws into messages for the user, each with what to do: which registry, what it
 * answered, never a Java class name, never a password.
 */
final class BuildFailures {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The request google-http-client names in its message: {@code GET http://host:port/v2/…}. */
  private static final Pattern REQUEST =
      Pattern.compile("\\b(?:GET|HEAD|PUT|POST|PATCH|DELETE) https?://([^/\\s]+)/");

  private static final Pattern STATUS_LINE = Pattern.compile("^(\\d{3}) ([^\\n]+)");
  private static final int MAX_TEXT = 300;

  private BuildFailures() {}

  /**
   * What the build failed with: the registry images come from or go to, and where it writes.
   *
   * @param pulled the base's reference when it comes from a registry, else null
   * @param pullCredentials where the base registry's credentials came from, or null for none
   * @param pushed the destination's reference when it is a registry, else null
   * @param pushCredentials where the destination's credentials came from, or null for none
   * @param cache the layer cache, or null
   * @param output the directory the image is written to, or null
   */
  private record Situation(
      String pulled,
      String pullCredentials,
      String pushed,
      String pushCredentials,
      Path cache,
      Path output) {
    /** The registry a failure that names none most likely came from. */
    String registry() {
      return registryOf(pushed != null ? pushed : pulled);
    }
  }

  /** A message that says what went wrong and what to do, never carrying a password. */
  static PackagingException explain(
      Exception failure, ImagePlan plan, ImageDestination destination, Path cacheDirectory) {
    BaseImage base = plan.base();
    boolean fromRegistry = base != null && base.tarball() == null && base.reference() != null;
    String pulled = fromRegistry ? base.reference() : null;
    String pullCredentials = fromRegistry ? source(base.credentials(), pulled) : null;
    Situation situation =
        switch (destination) {
          case ImageDestination.Registry registry ->
              new Situation(
                  pulled,
                  pullCredentials,
                  registry.reference(),
                  source(registry.credentials(), registry.reference()),
                  cacheDirectory,
                  null);
          case ImageDestination.Tarball tarball ->
              new Situation(
                  pulled,
                  pullCredentials,
                  null,
                  null,
                  cacheDirectory,
                  tarball.path().toAbsolutePath().getParent());
        };
    return explain(failure, situation);
  }

  /**
   * As {@link #explain(Exception, ImagePlan, ImageDestination, Path)}, pulling {@code reference}.
   */
  static PackagingException explainPull(
      Exception failure, String reference, RegistryCredentials credentials) {
    Throwable cause = unwrap(failure);
    for (Throwable t = cause; t != null; t = t.getCause()) {
      boolean notFound = t instanceof ResponseException response && response.getStatusCode() == 404;
      if (notFound
          || (t.getMessage() != null
              && t.getMessage().toLowerCase(Locale.ROOT).contains("manifest unknown"))) {
        return new PackagingException(
            "Base image " + reference + " not found in registry " + registryOf(reference), failure);
      }
    }
    return explain(
        failure, new Situation(reference, source(credentials, reference), null, null, null, null));
  }

  /** As {@link #explain(Exception, ImagePlan, ImageDestination, Path)}, pushing to {@code to}. */
  static PackagingException explainPush(Exception failure, ImageDestination.Registry to) {
    String pushed = to.reference();
    return explain(
        failure, new Situation(null, null, pushed, source(to.credentials(), pushed), null, null));
  }

  /** What to check of credentials from {@code source}. */
  private static String check(String source) {
    if (source == null || source.equals(RegistryCredentials.CONNECTION)) {
      return "check the connection's username and password";
    }
    if (source.startsWith(RegistryCredentials.CONNECTION + " ")) {
      return "check the username and password of " + source;
    }
    if (source.equals(EcrLogin.SOURCE)) {
      return "check what the ecr connection's keys may do in that repository (pushing needs"
          + " ecr:PutImage and the layer upload actions, pulling ecr:BatchGetImage and"
          + " ecr:GetDownloadUrlForLayer)";
    }
    return source.startsWith(DockerLogins.IDENTITY_TOKEN)
        ? "check " + source + " (it may have expired: log in again)"
        : "check the username and password from " + source;
  }

  /** Where the credentials used for {@code reference} came from, or null when there were none. */
  private static String source(RegistryCredentials given, String reference) {
    RegistryCredentials used = DockerLogins.orFromConfig(given, reference, PackagingListener.NONE);
    return used == null ? null : used.source();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof ExecutionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static PackagingException explain(Exception failure, Situation situation) {
    Throwable cause = unwrap(failure);
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof RegistryUnauthorizedException unauthorized) {
        return unauthorized(unauthorized, situation, failure);
      }
      if (t instanceof RegistryAuthenticationFailedException authentication) {
        String registry = authentication.getServerUrl();
        String source =
            situation.pushed() != null && registry.equals(registryOf(situation.pushed()))
                ? situation.pushCredentials()
                : situation.pullCredentials();
        return new PackagingException(
            "Authentication with registry " + registry + " failed: " + check(source), failure);
      }
      if (t instanceof InsecureRegistryException) {
        return noVerifiableHttps(t.getMessage(), failure);
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        // Through the proxy the JVM sends the registry's HTTPS to, if any: its failure, then.
        String reached = reached(situation.registry(), "https://" + situation.registry() + "/v2/");
        return unreachable(reached, connectionReason(t, reached, null), failure);
      }
      if (t instanceof SocketTimeoutException) {
        return RegistryTimeouts.noAnswer(
            situation.registry(), Duration.ofMillis(JibSystemProperties.getHttpTimeout()), failure);
      }
      if (t instanceof ResponseException response && response.getStatusCode() >= 500) {
        return serverError(response, situation, failure);
      }
      if (t instanceof SSLException) {
        return new PackagingException(
            "TLS with the registry failed ("
                + t.getMessage()
                + "); for a registry without a trusted"
                + " certificate use --allow-insecure-registries",
            failure);
      }
      if (t instanceof IOException && DiskSpace.reportedIn(t.getMessage())) {
        return noSpace(situation, failure);
      }
      if (t instanceof JsonProcessingException json) {
        // A registry (or a proxy before it) that answers a manifest's URL with something else.
        return new PackagingException(
            "The registry "
                + situation.registry()
                + " answered with something that is not an image manifest or configuration ("
                + json.getOriginalMessage()
                + "); is it a registry, or a proxy or login page in front of one?",
            failure);
      }
    }
    return new PackagingException("Building the image failed: " + describe(cause), failure);
  }

  /** Refused: with credentials they are wrong; without, they are needed, and how to give them. */
  private static PackagingException unauthorized(
      RegistryUnauthorizedException unauthorized, Situation situation, Exception failure) {
    String image = unauthorized.getImageReference();
    boolean pushing = situation.pushed() != null && sameRepository(image, situation.pushed());
    String given = pushing ? situation.pushCredentials() : situation.pullCredentials();
    if (given != null || (situation.pushed() == null && situation.pulled() == null)) {
      return new PackagingException(
          "The registry refused access to " + image + ": " + check(given), failure);
    }
    String registry = registryOf(pushing ? situation.pushed() : situation.pulled());
    return new CredentialsNeededException(
        registry,
        image,
        "a "
            + (pushing ? "docker-push" : "docker-pull")
            + " target whose connection's uri is "
            + registry,
        failure);
  }

  private static boolean sameRepository(String image, String reference) {
    try {
      ImageReference parsed = ImageReference.parse(reference);
      return image.equals(parsed.getRegistry() + "/" + parsed.getRepository());
    } catch (InvalidImageReferenceException e) {
      return false;
    }
  }

  /** A 5xx: the status, the registry that sent it, and what it said. */
  private static PackagingException serverError(
      ResponseException response, Situation situation, Exception failure) {
    String message = response.getMessage() == null ? "" : response.getMessage();
    Matcher request = REQUEST.matcher(message);
    String registry = request.find() ? request.group(1) : situation.registry();
    Matcher status = STATUS_LINE.matcher(message);
    String statusText =
        status.find()
            ? status.group(1) + " " + status.group(2).strip()
            : "" + response.getStatusCode();
    String text = errorText(response.getContent());
    return new PackagingException(
        "The registry "
            + registry
            + " answered "
            + statusText
            + (text.isEmpty() ? "" : ": " + text),
        failure);
  }

  /** The messages of a registry's JSON errors, else the first line of its text, shortened. */
  static String errorText(String content) {
    if (content == null || content.isBlank()) {
      return "";
    }
    try {
      JsonNode errors = JSON.readTree(content).path("errors");
      List<String> messages = new ArrayList<>();
      errors.forEach(
          error ->
              messages.add(error.path("message").asText(error.path("code").asText("")).strip()));
      messages.removeIf(String::isEmpty);
      if (!messages.isEmpty()) {
        return shorten(String.join("; ", messages));
      }
    } catch (IOException e) {
      // Not JSON: a proxy's or a server's own text.
    }
    return content
        .replaceAll("<[^>]*>", " ")
        .lines()
        .filter(line -> !line.isBlank())
        .findFirst()
        .map(line -> shorten(line.strip().replaceAll("\\s+", " ")))
        .orElse("");
  }

  private static String shorten(String text) {
    String printable = text.replaceAll("\\p{Cntrl}", " ");
    return printable.length() <= MAX_TEXT ? printable : printable.substring(0, MAX_TEXT) + "…";
  }

  private static PackagingException noSpace(Situation situation, Exception failure) {
    StringBuilder message =
        new StringBuilder("No space left on device while building the image: free space on the");
    if (situation.cache() == null && situation.output() == null) {
      return new PackagingException(message + " file systems it is written to", failure);
    }
    List<String> places = new ArrayList<>();
    if (situation.cache() != null) {
      places.add("of " + situation.cache() + " (the layer cache)");
    }
    if (situation.output() != null
        && (situation.cache() == null || !situation.output().startsWith(situation.cache()))) {
      places.add("of " + situation.output() + " (where the image is written)");
    }
    message.append(" file system ").append(String.join(" or ", places));
    return new PackagingException(message.toString(), failure);
  }

  /**
   * Why a connection failed, in words: refused, unknown host, timed out. {@code registry} may be
   * {@code host:port through the proxy host:port}: the connection that failed is then the proxy's
   * (a registry the proxy cannot reach is its 502, not a refused connection).
   */
  static String connectionReason(Throwable failure, String registry, Duration connectTimeout) {
    int through = registry.indexOf(THROUGH_PROXY);
    String peer = through < 0 ? registry : registry.substring(through + THROUGH_PROXY.length());
    String what = through < 0 ? "a registry" : "the proxy";
    // Java's HTTP client reports an unresolvable name as a ConnectException with no message,
    // caused by an UnresolvedAddressException.
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
        return "unknown host " + peer.replaceFirst(":\\d+$", "");
      }
    }
    if (failure instanceof HttpConnectTimeoutException) {
      return "no connection within "
          + (connectTimeout == null ? "the time allowed" : connectTimeout.toSeconds() + " s")
          + " (a firewall or a wrong address?)";
    }
    String message = failure.getMessage() == null ? "" : failure.getMessage();
    if (failure instanceof ConnectException
        && (message.isEmpty() || message.toLowerCase(Locale.ROOT).contains("refused"))) {
      Matcher port = Pattern.compile(":(\\d+)$").matcher(peer);
      return port.find()
          ? "connection refused (is " + what + " listening on port " + port.group(1) + "?)"
          : "connection refused";
    }
    return describe(failure);
  }

  /** A failure's own message, or plain words when it has none: never a class name. */
  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return "an unexpected error (run with --verbose for details)";
    }
    return message.strip();
  }

  /** The registry ({@code host[:port]}) of an image reference. */
  private static String registryOf(String reference) {
    if (reference == null) {
      return "(none)";
    }
    try {
      return ImageReference.parse(reference).getRegistry();
    } catch (InvalidImageReferenceException e) {
      return reference;
    }
  }

  /** How a registry reached through a proxy is named: {@code host:port through the proxy P}. */
  static final String THROUGH_PROXY = " through the proxy ";

  /**
   * {@code registry}, and the proxy the JVM sends {@code url} through if any ({@link
   * #THROUGH_PROXY}).
   */
  static String reached(String registry, String url) {
    return registry + RegistryProxies.proxyFor(url).map(proxy -> THROUGH_PROXY + proxy).orElse("");
  }

  /** A registry that cannot be reached at all. */
  static PackagingException unreachable(String registry, String reason, Throwable failure) {
    return new PackagingException("Cannot reach the registry " + registry + ": " + reason, failure);
  }

  /** A registry without HTTPS that can be verified, while plain HTTP was not allowed for it. */
  static PackagingException noVerifiableHttps(String detail, Throwable failure) {
    return new PackagingException(
        "The registry does not offer verifiable HTTPS ("
            + detail
            + "): allow plain HTTP and unverified TLS for it"
            + " with --allow-insecure-registries (only for registries you trust)",
        failure);
  }
}
