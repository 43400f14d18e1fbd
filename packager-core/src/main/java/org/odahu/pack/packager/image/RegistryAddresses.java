package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which registries may be reached over plain HTTP (and unverified TLS): a registry on this machine,
 * as Docker allows, and any registry when the user opts in.
 */
final class RegistryAddresses {
  private static final Pattern LOOPBACK_IPV4 =
      Pattern.compile("127\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private RegistryAddresses() {}

  /** Whether the registry of {@code reference} may use plain HTTP; {@code optIn}: any may. */
  static boolean mayUseHttp(String reference, boolean optIn) {
    return reference != null && (optIn || isLoopback(reference));
  }

  /** Whether an image reference names a registry on this machine. */
  static boolean isLoopback(String reference) {
    String registry;
    try {
      registry = ImageReference.parse(reference).getRegistry();
    } catch (InvalidImageReferenceException e) {
      return false;
    }
    int colon = registry.lastIndexOf(':');
    return isLoopbackHost(
        colon > 0 && !registry.endsWith("]") ? registry.substring(0, colon) : registry);
  }

  /**
   * As Docker: {@code localhost} and loopback address literals ({@code 127.0.0.0/8}, {@code
   * [::1]}); other names are not resolved.
   */
  static boolean isLoopbackHost(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    Matcher ipv4 = LOOPBACK_IPV4.matcher(host);
    if (ipv4.matches()) {
      for (int group = 1; group <= 3; group++) {
        if (Integer.parseInt(ipv4.group(group)) > 255) {
          return false;
        }
      }
      return true;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      try {
        // A bracketed literal is parsed, never looked up.
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }
}
