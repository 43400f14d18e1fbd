package org.odahu.pack.server.http;

import java.nio.charset.StandardCharsets;
import org.odahu.pack.artifact.ModelManifest;
import org.odahu.pack.logging.LogContext;

/**
 * The served model's name and version, as responses report them. Control characters are refused (a
 * CR or LF cannot be put in a header); the header values are the text itself when it is printable
 * ASCII, else its UTF-8 bytes percent-encoded as in URIs (RFC 3986: every byte outside {@code
 * !}..{@code ~}, and {@code %}, becomes {@code %XX}), e.g. {@code modèle} gives {@code
 * mod%C3%A8le}.
 *
 * @param name the model name
 * @param version the model version
 */
public record ModelIdentity(String name, String version) {
  /** What log lines about request {@code requestId} (with {@code trace}, or {@code null}) carry. */
  LogContext logContext(String requestId, TraceParent trace) {
    return LogContext.model(name, version)
        .withRequest(
            requestId,
            trace == null ? null : trace.traceId(),
            trace == null ? null : trace.parentId());
  }

  /** A name or version that cannot be served. */
  public static final class InvalidModelIdentityException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidModelIdentityException(String message) {
      super(message);
    }
  }

  /**
   * @throws InvalidModelIdentityException if either holds a control character
   */
  public ModelIdentity {
    check("name", name);
    check("version", version);
  }

  private static void check(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidModelIdentityException("The model " + what + " must not be empty");
    }
    int c = ModelManifest.controlCharacter(value);
    if (c >= 0) {
      throw new InvalidModelIdentityException(
          String.format(
              "The model %s \"%s\" contains the control character U+%04X; names and versions"
                  + " go into response headers, which cannot hold control characters (CR, LF...)",
              what, ModelManifest.escaped(value), c));
    }
  }

  /** {@code Model-Name}'s value. */
  public String nameHeader() {
    return headerValue(name);
  }

  /** {@code Model-Version}'s value. */
  public String versionHeader() {
    return headerValue(version);
  }

  static String headerValue(String text) {
    if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return text;
    }
    StringBuilder encoded = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int unsigned = b & 0xff;
      if (unsigned > 0x20 && unsigned < 0x7f && unsigned != '%') {
        encoded.append((char) unsigned);
      } else {
        encoded.append('%').append(String.format("%02X", unsigned));
      }
    }
    return encoded.toString();
  }
}
