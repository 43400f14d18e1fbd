package org.odahu.pack.packager.image;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.odahu.pack.packager.RegistryCredentials;

/**
 * The logins {@code docker login} stored, for registries no connection gives credentials for:
 * {@code $DOCKER_CONFIG/config.json}, else {@code $HOME/.docker/config.json}. As docker reads it:
 * the registry's credential helper in {@code credHelpers}, else the {@code credsStore} helper, else
 * its {@code auths} entry (its {@code identitytoken}, else its {@code auth} or user and password);
 * a helper is the program {@code docker-credential-NAME} on {@code PATH}, asked with {@code get}.
 * Each registry is looked up once per process.
 *
 * <p>Nothing read here is ever shown: a config that cannot be read, an entry that cannot be
 * decoded, a helper that is missing, fails, answers what is not its JSON or does not answer within
 * the registry timeout is a warning naming the file or helper and the registry, and the registry is
 * then reached without credentials (its refusal says how to give them).
 */
final class DockerLogins {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
  private static final Set<String> DOCKER_HUB =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io");
  private static final int MAX_CONFIG_BYTES = 4 << 20;
  private static final int MAX_HELPER_OUTPUT = 64 << 10;

  private static final DockerLogins PROCESS = new DockerLogins(System.getenv());

  /** How the source of credentials from an identity token begins. */
  static final String IDENTITY_TOKEN = "the identity token in ";

  private final Map<String, String> environment;
  private final Map<String, Optional<RegistryCredentials>> found = new ConcurrentHashMap<>();

  DockerLogins(Map<String, String> environment) {
    this.environment = environment;
  }

  /**
   * {@code given} when there are any, else what docker's config holds for the reference's registry.
   */
  static RegistryCredentials orFromConfig(
      RegistryCredentials given, String reference, PackagingListener listener) {
    if (given != null || reference == null) {
      return given;
    }
    return PROCESS.find(reference, listener).orElse(null);
  }

  /** The config file docker reads. */
  Path configFile() {
    String directory = environment.get("DOCKER_CONFIG");
    if (directory != null && !directory.isBlank()) {
      return Path.of(directory, "config.json");
    }
    String home = environment.get("HOME");
    return Path.of(
        home == null || home.isBlank() ? System.getProperty("user.home") : home,
        ".docker",
        "config.json");
  }

  /** The credentials docker's config holds for the registry of {@code reference}, if any. */
  Optional<RegistryCredentials> find(String reference, PackagingListener listener) {
    String registry;
    try {
      registry = ImageReference.parse(reference).getRegistry().toLowerCase(Locale.ROOT);
    } catch (InvalidImageReferenceException e) {
      return Optional.empty();
    }
    String key = DOCKER_HUB.contains(registry) ? "docker.io" : registry;
    Optional<RegistryCredentials> known = found.get(key);
    if (known == null) {
      known = lookUp(key, listener);
      found.put(key, known);
    }
    return known;
  }

  private Optional<RegistryCredentials> lookUp(String registry, PackagingListener listener) {
    Path file = configFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode config;
    try {
      if (Files.size(file) > MAX_CONFIG_BYTES) {
        listener.warning(file + " is larger than 4 MiB: not read for credentials");
        return Optional.empty();
      }
      config = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      listener.warning(
          "Cannot read docker's config "
              + file
              + " ("
              + (e instanceof JacksonException ? "not valid JSON" : describe(e))
              + "): no credentials from it for "
              + registry);
      return Optional.empty();
    }
    if (config == null || !config.isObject()) {
      listener.warning(
          docker(file) + " is not a JSON object: no credentials from it for " + registry);
      return Optional.empty();
    }
    String helper = text(entry(config.path("credHelpers"), registry));
    if (helper == null) {
      helper = text(config.path("credsStore"));
    }
    Optional<RegistryCredentials> credentials =
        helper != null && !helper.isEmpty()
            ? fromHelper(helper, registry, listener)
            : fromAuths(entry(config.path("auths"), registry), file, registry, listener);
    credentials.ifPresent(
        found -> listener.step("Credentials for " + registry + ": " + found.source()));
    return credentials;
  }

  /**
   * The member of {@code map} for {@code registry}, keys read as docker does (scheme, path off).
   */
  private static JsonNode entry(JsonNode map, String registry) {
    if (!map.isObject()) {
      return null;
    }
    for (Map.Entry<String, JsonNode> member : map.properties()) {
      String host = member.getKey().strip().replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "");
      host = host.contains("/") ? host.substring(0, host.indexOf('/')) : host;
      host = host.toLowerCase(Locale.ROOT);
      if (host.equals(registry) || (registry.equals("docker.io") && DOCKER_HUB.contains(host))) {
        return member.getValue();
      }
    }
    return null;
  }

  private static String text(JsonNode node) {
    String value = raw(node);
    return value == null ? null : value.strip();
  }

  /** A string member as written: user names and secrets are not trimmed. */
  private static String raw(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static Optional<RegistryCredentials> fromAuths(
      JsonNode entry, Path file, String registry, PackagingListener listener) {
    if (entry == null || !entry.isObject()) {
      return Optional.empty();
    }
    String source = docker(file);
    // An identity token wins over auth, as with docker (ACR stores a placeholder user beside it):
    // an OAuth2 refresh token that Jib exchanges at the registry's token service.
    String identityToken = raw(entry.get("identitytoken"));
    if (identityToken != null && !identityToken.isBlank()) {
      return Optional.of(
          new RegistryCredentials(
              Credential.OAUTH2_TOKEN_USER_NAME, identityToken, IDENTITY_TOKEN + source));
    }
    String auth = text(entry.get("auth"));
    if (auth != null && !auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        listener.warning(
            source
                + ": the auth entry for "
                + registry
                + " is not base64 of user:password; no credentials from it");
        return Optional.empty();
      }
      return Optional.of(
          new RegistryCredentials(
              decoded.substring(0, colon), decoded.substring(colon + 1), source));
    }
    String username = raw(entry.get("username"));
    String password = raw(entry.get("password"));
    if (username != null && password != null) {
      return Optional.of(new RegistryCredentials(username, password, source));
    }
    return Optional.empty();
  }

  private static String docker(Path file) {
    return "docker's config " + file;
  }

  /** Asks {@code docker-credential-NAME get}, as docker does: the server on stdin, JSON out. */
  private Optional<RegistryCredentials> fromHelper(
      String name, String registry, PackagingListener listener) {
    String program = "docker-credential-" + name;
    if (!name.matches("[A-Za-z0-9._-]+")) {
      listener.warning(
          "The credential helper named for " + registry + " in docker's config is not a name");
      return Optional.empty();
    }
    Optional<Path> executable = SearchPath.find(program, environment.getOrDefault("PATH", ""));
    if (executable.isEmpty()) {
      listener.warning(
          program
              + " (docker's credential helper for "
              + registry
              + ") is not on PATH: no credentials for "
              + registry);
      return Optional.empty();
    }
    Duration limit = RegistryTimeouts.limit();
    Process process;
    try {
      process =
          new ProcessBuilder(executable.get().toString(), "get")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      listener.warning(program + " could not be started (" + describe(e) + ")");
      return Optional.empty();
    }
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(
            (registry.equals("docker.io") ? DOCKER_HUB_KEY : registry)
                .getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // A helper that exits without reading its input is judged by its exit and output.
      }
      FutureTask<byte[]> reading = new FutureTask<>(() -> readLimited(process.getInputStream()));
      Thread.ofVirtual().name("odahu-pack-credential-helper").start(reading);
      byte[] output;
      try {
        output = reading.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        listener.warning(
            program
                + " did not answer within "
                + limit.toSeconds()
                + " s: no credentials for "
                + registry);
        return Optional.empty();
      } catch (ExecutionException e) {
        listener.warning(program + " could not be read for " + registry);
        return Optional.empty();
      }
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        listener.warning(program + " did not exit after answering for " + registry);
        return Optional.empty();
      }
      if (process.exitValue() != 0) {
        // Its output is not shown: a helper's output may hold a secret.
        String said = new String(output, StandardCharsets.UTF_8);
        listener.warning(
            program
                + (said.contains("credentials not found")
                    ? " holds no credentials for " + registry
                    : " failed (exit " + process.exitValue() + ") for " + registry));
        return Optional.empty();
      }
      JsonNode answer;
      try {
        answer = JSON.readTree(output);
      } catch (IOException e) {
        answer = null;
      }
      String username = answer == null ? null : raw(answer.get("Username"));
      String secret = answer == null ? null : raw(answer.get("Secret"));
      if (username == null || secret == null || secret.isEmpty()) {
        listener.warning(
            program + " did not answer a Username and Secret (its JSON) for " + registry);
        return Optional.empty();
      }
      return Optional.of(
          new RegistryCredentials(username, secret, "the credential helper " + program));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  /** At most {@link #MAX_HELPER_OUTPUT} bytes; the rest is read and dropped so the helper ends. */
  private static byte[] readLimited(InputStream stream) throws IOException {
    byte[] kept = stream.readNBytes(MAX_HELPER_OUTPUT);
    stream.transferTo(OutputStream.nullOutputStream());
    return kept;
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
