package org.odahu.pack.packager.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.ResolvedBase;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.testing.TestLayouts;

/** OCI's labels say what the image holds; what is not known is left out, never guessed. */
class ImageLabelsTest {
  private static final ResolvedBase BASE =
      new ResolvedBase(
          BaseImage.registry("docker.io/library/python:3.11@sha256:" + "a".repeat(64), null),
          "docker.io/library/python:3.11",
          "sha256:" + "a".repeat(64));

  @TempDir Path temp;

  private Map<String, String> labels(String arguments, ResolvedBase base) throws IOException {
    Path manifest =
        Files.writeString(
            temp.resolve("p.yaml"),
            "kind: ModelPackaging\nid: p\nspec: {artifactName: simple.zip, integrationName:"
                + " docker-rest, arguments: "
                + arguments
                + "}\n");
    PackagingPlan plan =
        new PackagingPlans(TestLayouts.builtIn())
            .local(ResourceSet.read(List.of(manifest), List.of()), "p", Set.of(), true);
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("simple"))) {
      return ImageLabels.of(plan, artifact, base, "0.1.0");
    }
  }

  @Test
  void everyKnownFactInAFixedOrder() throws IOException {
    Map<String, String> labels =
        labels(
            "{imageSource: 'https://git.example.com/team/simple', imageRevision: 0f3c2a1}", BASE);
    assertEquals(
        List.of(
            "org.opencontainers.image.title",
            "org.opencontainers.image.version",
            "org.opencontainers.image.revision",
            "org.opencontainers.image.source",
            "org.opencontainers.image.base.name",
            "org.opencontainers.image.base.digest",
            "org.odahu.pack.model.name",
            "org.odahu.pack.model.version",
            "org.odahu.pack.integration",
            "org.odahu.pack.version"),
        List.copyOf(labels.keySet()));
    assertEquals("simple", labels.get("org.opencontainers.image.title"));
    assertEquals("1.0", labels.get("org.opencontainers.image.version"));
    assertEquals("0f3c2a1", labels.get("org.opencontainers.image.revision"));
    assertEquals(
        "https://git.example.com/team/simple", labels.get("org.opencontainers.image.source"));
    assertEquals("docker.io/library/python:3.11", labels.get("org.opencontainers.image.base.name"));
    assertEquals("sha256:" + "a".repeat(64), labels.get("org.opencontainers.image.base.digest"));
  }

  @Test
  void whatIsNotKnownIsLeftOut() throws IOException {
    Map<String, String> labels =
        labels("{}", new ResolvedBase(BaseImage.tarball(temp.resolve("b.tar")), null, null));
    assertFalse(labels.containsKey("org.opencontainers.image.revision"));
    assertFalse(labels.containsKey("org.opencontainers.image.source"));
    assertFalse(labels.containsKey("org.opencontainers.image.base.name"));
    assertFalse(labels.containsKey("org.opencontainers.image.base.digest"));
    assertEquals("simple", labels.get("org.odahu.pack.model.name"));
  }

  @Test
  void aSourceWithAPasswordIsRefusedWithoutRepeatingIt() {
    PackagingException e =
        assertThrows(
            PackagingException.class,
            () -> labels("{imageSource: 'https://bot:t0ken-s3cret@git.example.com/team/m'}", BASE));
    assertTrue(e.getMessage().contains("must not hold a user or password"), e.getMessage());
    assertFalse(e.getMessage().contains("t0ken-s3cret"), e.getMessage());
  }

  @Test
  void aSourceWithCredentialsIsRefusedWithoutRepeatingThemWhateverElseIsWrongWithIt() {
    for (String source :
        List.of(
            "https://ci:s3cret@my_git.corp/repo", // an authority java.net.URI keeps whole
            "https://ci:s3cret@git.corp:abc/repo",
            "https://bot:s3c^ret@git.example.com/x", // no URL at all
            "//bot:s3cret@git.example.com/x", // not absolute
            "https://s3cret-token@git.example.com/x")) {
      PackagingException e =
          assertThrows(
              PackagingException.class,
              () -> labels("{imageSource: '" + source + "'}", BASE),
              source);
      assertTrue(e.getMessage().startsWith("Argument imageSource must"), e.getMessage());
      assertFalse(e.getMessage().contains("s3c"), e.getMessage());
    }
  }

  @Test
  void aSourceThatIsNoUrlIsRefused() {
    for (String source : List.of("git@github.com:team/m.git", "team/m", "not a url")) {
      PackagingException e =
          assertThrows(
              PackagingException.class,
              () -> labels("{imageSource: '" + source + "'}", BASE),
              source);
      assertTrue(e.getMessage().startsWith("Argument imageSource must be"), e.getMessage());
    }
  }
}
