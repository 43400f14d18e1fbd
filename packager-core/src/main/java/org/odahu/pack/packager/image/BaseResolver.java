package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.ImageReference;
import java.nio.file.Files;
import org.odahu.pack.packager.PackagingException;

/**
 * Finds what a base image is before an image is built on it: the digest its reference names now
 * (asked of its registry, as Jib would), or the name and digest a tarball records.
 */
public final class BaseResolver {
  private final PackagingListener listener;
  private final String toolVersion;
  private final RegistryProbe probe = new RegistryProbe();

  /**
   * @param listener receives progress
   * @param toolVersion sent to registries as the user agent's version
   */
  public BaseResolver(PackagingListener listener, String toolVersion) {
    this.listener = listener;
    this.toolVersion = toolVersion;
  }

  /**
   * What {@code base} is. A registry base comes back pinned to the digest found; plain HTTP is used
   * for it on loopback only, or everywhere with {@code allowInsecure}.
   */
  public ResolvedBase resolve(BaseImage base, boolean allowInsecure) {
    if (base.tarball() != null) {
      if (!Files.isRegularFile(base.tarball())) {
        throw new PackagingException("Base image tarball not found: " + base.tarball());
      }
      ImageTarball tarball = ImageTarball.read(base.tarball());
      return new ResolvedBase(base, tarball.name(), tarball.digest());
    }
    String reference = base.reference();
    boolean insecure = RegistryAddresses.mayUseHttp(reference, allowInsecure);
    RegistrySession session =
        RegistrySession.connect(reference, base.credentials(), insecure, listener, toolVersion);
    String registry = session.reference().getRegistry();
    listener.step("Resolving the base image's digest from " + registry);
    try (session) {
      probe.check(reference, insecure);
      ImageReference parsed = session.reference();
      String digest =
          RegistryTimeouts.within(
              registry,
              session::close,
              () -> {
                session.authenticate(false);
                return parsed.getDigest().isPresent()
                    ? parsed.getDigest().get()
                    : session.client().pullManifest(parsed.getQualifier()).getDigest().toString();
              });
      String name = name(parsed);
      listener.step("Base image " + name + " is " + digest);
      String pinned = parsed.getTag().isPresent() ? name + "@" + digest : name;
      return new ResolvedBase(BaseImage.registry(pinned, base.credentials()), name, digest);
    } catch (PackagingException e) {
      throw e;
    } catch (Exception e) {
      throw BuildFailures.explainPull(e, reference, base.credentials());
    }
  }

  /**
   * The reference in full, without a digest when it has a tag: {@code python:3.11} is {@code
   * docker.io/library/python:3.11}.
   */
  static String name(ImageReference reference) {
    String registry =
        reference.getRegistry().equals("registry-1.docker.io")
            ? "docker.io"
            : reference.getRegistry();
    String repository = registry + "/" + reference.getRepository();
    return reference.getTag().isPresent()
        ? repository + ":" + reference.getTag().get()
        : repository + "@" + reference.getDigest().orElseThrow();
  }
}
