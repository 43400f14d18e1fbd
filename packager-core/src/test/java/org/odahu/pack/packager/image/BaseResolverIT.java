package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.TinyBase;
import org.odahu.pack.packager.testing.Trees;

/**
 * A base in a real registry: resolved once, before the build, to the digest its tag names; the
 * image is then built from that digest, the one its {@code org.opencontainers.image.base.digest}
 * label names, not from the tag, which may move.
 */
class BaseResolverIT {
  @TempDir Path temp;

  @Test
  void aTaggedRegistryBaseIsPinnedToTheDigestItsTagNames() throws Exception {
    Path registryDir = Files.createTempDirectory("odahu-registry-");
    try (LocalRegistry registry = LocalRegistry.start(registryDir)) {
      String tagged = registry.address() + "/bases/tiny:1";
      registry.push(TinyBase.write(temp.resolve("tiny.tar"), "tiny:1"), tagged);
      String digest = registry.manifestDigest(tagged);
      assertTrue(digest.matches("sha256:[0-9a-f]{64}"), digest);
      BaseResolver resolver = new BaseResolver(PackagingListener.NONE, "test");

      ResolvedBase byTag = resolver.resolve(BaseImage.registry(tagged, null), false);
      assertEquals(tagged, byTag.name());
      assertEquals(digest, byTag.digest());
      assertEquals(tagged + "@" + digest, byTag.image().reference(), "built on the digest");

      String pinned = registry.address() + "/bases/tiny@" + digest;
      ResolvedBase byDigest = resolver.resolve(BaseImage.registry(pinned, null), false);
      assertEquals(pinned, byDigest.name());
      assertEquals(digest, byDigest.digest());
      assertEquals(pinned, byDigest.image().reference(), "a digest is kept as given");
    } finally {
      Trees.delete(registryDir);
    }
  }
}
