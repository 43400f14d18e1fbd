package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryClient;
import java.io.IOException;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryCredentials;

/**
 * One repository of a registry, reached with Jib's registry client for what Jib's build API does
 * not do: resolving a base image's digest, pushing a finished config and manifest. Authenticated as
 * Jib's own build authenticates (a bearer token when the registry offers one, else basic
 * authentication with the credentials); plain HTTP and unverified TLS only when {@code insecure}.
 */
final class RegistrySession implements AutoCloseable {
  private final ImageReference reference;
  private final FailoverHttpClient http;
  private final RegistryClient client;

  private final boolean hasCredentials;

  private RegistrySession(
      ImageReference reference,
      FailoverHttpClient http,
      RegistryClient client,
      boolean hasCredentials) {
    this.reference = reference;
    this.http = http;
    this.client = client;
    this.hasCredentials = hasCredentials;
  }

  /** A session to pull from, or push to ({@code push}), the repository of {@code reference}. */
  static RegistrySession open(
      String reference,
      RegistryCredentials credentials,
      boolean insecure,
      boolean push,
      PackagingListener listener,
      String toolVersion)
      throws IOException, RegistryException {
    RegistrySession session = connect(reference, credentials, insecure, listener, toolVersion);
    try {
      session.authenticate(push);
      return session;
    } catch (IOException | RegistryException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /**
   * A session not yet authenticated ({@link #authenticate}): nothing has been sent yet, and {@link
   * #close} aborts whatever it will wait for.
   */
  static RegistrySession connect(
      String reference,
      RegistryCredentials credentials,
      boolean insecure,
      PackagingListener listener,
      String toolVersion) {
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new PackagingException("Invalid image reference: " + reference, e);
    }
    EventHandlers events =
        EventHandlers.builder()
            .add(LogEvent.class, event -> listener.detail(event.getMessage()))
            .build();
    FailoverHttpClient http =
        new FailoverHttpClient(insecure, insecure, event -> listener.detail(event.getMessage()));
    RegistryCredentials used = DockerLogins.orFromConfig(credentials, reference, listener);
    Credential credential = used == null ? null : Credential.from(used.username(), used.password());
    RegistryClient client =
        RegistryClient.factory(events, parsed.getRegistry(), parsed.getRepository(), http)
            .setCredential(credential)
            .setUserAgent("odahu-pack/" + toolVersion)
            .newRegistryClient();
    return new RegistrySession(parsed, http, client, credential != null);
  }

  /** Authenticates as Jib's build does, to pull or to push ({@code push}). */
  void authenticate(boolean push) throws IOException, RegistryException {
    boolean bearer = push ? client.doPushBearerAuth() : client.doPullBearerAuth();
    if (!bearer && hasCredentials) {
      // The registry asked for basic authentication (or none), as a local registry does.
      client.configureBasicAuth();
    }
  }

  /** The reference the session was opened for. */
  ImageReference reference() {
    return reference;
  }

  /** Jib's client, authenticated. */
  RegistryClient client() {
    return client;
  }

  @Override
  public void close() {
    try {
      http.shutDown();
    } catch (IOException e) {
      // Only idle connections are left to close; nothing of the build depends on them.
    }
  }
}
