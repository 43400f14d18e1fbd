package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.odahu.pack.packager.RegistryCredentials;

/**
 * Removes the manifest Jib pushed under a throw-away staging tag, once the finished manifest is
 * under the real tag: {@code DELETE /v2/<repository>/manifests/<digest>} (the registry API deletes
 * manifests by digest only), with basic authentication when the registry asks for it. Registries
 * often refuse deletion (Docker's registry unless {@code storage.delete.enabled}; token-based
 * registries grant it separately): then the staging tag stays, and the caller says so.
 */
final class StagingManifest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private StagingManifest() {}

  /**
   * Deletes the manifest {@code digest} of the repository of {@code reference}.
   *
   * @return empty when deleted, else why not
   */
  static Optional<String> delete(
      ImageReference reference,
      String digest,
      RegistryCredentials credentials,
      boolean mayUseHttp) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String path = "/v2/" + reference.getRepository() + "/manifests/" + digest;
    String why = "the registry did not answer";
    for (String scheme : mayUseHttp ? new String[] {"https", "http"} : new String[] {"https"}) {
      URI uri = URI.create(scheme + "://" + reference.getRegistry() + path);
      try {
        int status = send(client, uri, null);
        if (status == 401 && credentials != null) {
          String basic =
              Base64.getEncoder()
                  .encodeToString(
                      (credentials.username() + ":" + credentials.password())
                          .getBytes(StandardCharsets.UTF_8));
          status = send(client, uri, "Basic " + basic);
        }
        if (status == 202 || status == 200 || status == 404) {
          return Optional.empty();
        }
        return Optional.of("it answered HTTP " + status + " to deleting it");
      } catch (IOException e) {
        why =
            "deleting it failed (" + (e.getMessage() == null ? "no answer" : e.getMessage()) + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("packaging was interrupted");
      }
    }
    return Optional.of(why);
  }

  private static int send(HttpClient client, URI uri, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).DELETE();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
