package org.odahu.pack.packager.run;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ResolvedBase;

/**
 * What an image says it is, on its config as labels and on its manifest as annotations: OCI's
 * standard keys ({@code org.opencontainers.image.*}) and odahu-pack's own. Nothing in them depends
 * on the time or the machine, so the image stays reproducible; what is not known is left out rather
 * than guessed: {@code revision} and {@code source} come from the packaging arguments {@code
 * imageRevision} and {@code imageSource}, the base's name and digest from the base image.
 */
final class ImageLabels {
  private static final String OCI = "org.opencontainers.image.";
  private static final Pattern AUTHORITY = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)");

  private ImageLabels() {}

  /** The labels of an image of {@code artifact}, packaged as {@code plan} says on {@code base}. */
  static Map<String, String> of(
      PackagingPlan plan, ModelArtifact artifact, ResolvedBase base, String version) {
    var model = artifact.manifest().model();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(OCI + "title", model.name());
    labels.put(OCI + "version", model.version());
    putIfKnown(labels, OCI + "revision", plan.text("imageRevision", "").strip());
    putIfKnown(labels, OCI + "source", source(plan.text("imageSource", "").strip()));
    putIfKnown(labels, OCI + "base.name", base.name());
    putIfKnown(labels, OCI + "base.digest", base.digest());
    labels.put("org.odahu.pack.model.name", model.name());
    labels.put("org.odahu.pack.model.version", model.version());
    labels.put("org.odahu.pack.integration", plan.integrationId());
    labels.put("org.odahu.pack.version", version);
    return labels;
  }

  private static void putIfKnown(Map<String, String> labels, String key, String value) {
    if (value != null && !value.isEmpty()) {
      labels.put(key, value);
    }
  }

  /**
   * The {@code imageSource} argument: an absolute URL without a user or password, since labels are
   * readable by anyone who can pull the image. A value that may hold credentials is never repeated
   * in an error.
   */
  static String source(String value) {
    if (value.isEmpty()) {
      return value;
    }
    Matcher authority = AUTHORITY.matcher(value);
    if ((authority.lookingAt() && authority.group(1).contains("@"))
        || (!authority.lookingAt() && value.startsWith("//") && value.contains("@"))) {
      // Checked before parsing: java.net.URI keeps an authority it cannot split into host and port
      // (an underscore in the host, a port that is no number) whole, with no user info.
      throw new PackagingException(
          "Argument imageSource must not hold a user or password: every image label can be read by"
              + " anyone who can pull the image");
    }
    String shown = value.contains("@") ? "a value that is not one" : "'" + value + "'";
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new PackagingException(
          "Argument imageSource must be a URL (e.g. https://git.example.com/team/model), got "
              + shown,
          e);
    }
    if (!uri.isAbsolute() || uri.isOpaque()) {
      throw new PackagingException(
          "Argument imageSource must be an absolute URL (e.g. https://git.example.com/team/model),"
              + " got "
              + shown);
    }
    return value;
  }
}
