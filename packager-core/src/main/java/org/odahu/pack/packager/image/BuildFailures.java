package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import org.odahu.pack.packager.PackagingException;

/** Turns what Jib throws into messages for the user, each with what to do. */
final class BuildFailures {
  private BuildFailures() {}

  /** A message that says what went wrong and what to do, never carrying a password. */
  static PackagingException explain(
      Exception failure, ImagePlan plan, ImageDestination destination) {
    return explain(failure, registryOf(destination, plan));
  }

  /** As {@link #explain(Exception, ImagePlan, ImageDestination)}, talking to {@code registry}. */
  static PackagingException explain(Exception failure, String registry) {
    Throwable cause = failure;
    while (cause instanceof ExecutionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof RegistryUnauthorizedException unauthorized) {
        return new PackagingException(
            "The registry refused access to "
                + unauthorized.getImageReference()
                + ": check the connection's username and password",
            failure);
      }
      if (t instanceof RegistryAuthenticationFailedException authentication) {
        return new PackagingException(
            "Authentication with registry "
                + authentication.getServerUrl()
                + " failed: check the connection's username and password",
            failure);
      }
      if (t instanceof InsecureRegistryException) {
        return noVerifiableHttps(t.getMessage(), failure);
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        return unreachable(registry, t.getMessage(), failure);
      }
      if (t instanceof SSLException) {
        return new PackagingException(
            "TLS with the registry failed ("
                + t.getMessage()
                + "); for a registry without a trusted"
                + " certificate use --allow-insecure-registries",
            failure);
      }
    }
    return new PackagingException("Building the image failed: " + cause, failure);
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

  private static String registryOf(ImageDestination destination, ImagePlan plan) {
    return destination instanceof ImageDestination.Registry registry
        ? registry.reference()
        : String.valueOf(plan.base());
  }
}
