package org.odahu.pack.packager.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryTarget;

/** The image reference a packaging gives its image: checked, and written as Docker writes it. */
class ImageNamesTest {
  private static String local(String rendered) {
    return ImageNames.reference("T", rendered, null);
  }

  private static String refused(String rendered, RegistryTarget push) {
    return assertThrows(PackagingException.class, () -> ImageNames.reference("T\n", rendered, push))
        .getMessage();
  }

  @Test
  void theReferenceAsDockerPrintsIt() {
    assertEquals("odahu/pure:1.0", local("odahu/pure:1.0"));
    assertEquals("wine-1.0:0b3f", local("wine-1.0:0b3f"));
    assertEquals("wine:1", local("docker.io/library/wine:1"));
    assertEquals("localhost:5000/odahu/wine:1", local("localhost:5000/odahu/wine:1"));
  }

  @Test
  void inARegistryTheConnectionsUriComesFirst() {
    RegistryTarget push = new RegistryTarget("registry.example.com/odahu/", null);
    assertEquals("registry.example.com/odahu/wine:1", ImageNames.reference("T", "wine:1", push));
    assertEquals(
        "odahu/wine:1",
        ImageNames.reference("T", "wine:1", new RegistryTarget("docker.io/odahu", null)));
    String message = refused("wine:1", new RegistryTarget("Registry.example.com/ODAHU", null));
    assertTrue(
        message.startsWith(
            "The docker-push connection's uri 'Registry.example.com/ODAHU' and the imageName"
                + " argument 'T\\n' make 'Registry.example.com/ODAHU/wine:1', which is not a valid"
                + " image reference"),
        message);
    // Only the pushed name counts: not wine's as a Docker Hub name.
    String longest = "a".repeat(255 - "registry.example.com/".length());
    assertEquals(
        "registry.example.com/" + longest + ":1",
        ImageNames.reference(
            "T", longest + ":1", new RegistryTarget("registry.example.com", null)));
  }

  /** A name far too long is refused at once, by its length (a pattern over it took minutes). */
  @Test
  void aFarTooLongReferenceIsRefusedByItsLength() {
    String huge = "a".repeat(200_000);
    PackagingException refused =
        assertThrows(
            PackagingException.class,
            () -> ImageNames.reference(huge, "odahu/" + huge + ":1", null));
    assertEquals(
        "The imageName argument '<200000 characters>' renders '<200008 characters>', which is not"
            + " a valid image reference: a name has at most 255 characters and a tag at most 128",
        refused.getMessage());
  }

  @Test
  void aLoginWrittenIntoTheUriIsNotShownBackAndTheUriFormIsExplained() {
    String message =
        refused("wine:1", new RegistryTarget("https://user:URISECRET@127.0.0.1:5111/odahu", null));
    assertTrue(!message.contains("URISECRET"), message);
    assertTrue(message.contains("'https://user:****@127.0.0.1:5111/odahu'"), message);
    assertTrue(
        message.endsWith(
            "A registry uri has no scheme and no login: write HOST[:PORT]/PATH, and put the login"
                + " in the connection's username and password"),
        message);
  }

  @Test
  void aTrailingNewlineOrSpaceIsRefusedAndShown() {
    String message = refused("odahu/pure:1.0\n", null);
    assertTrue(
        message.startsWith(
            "The imageName argument 'T\\n' renders 'odahu/pure:1.0\\n', which is not a valid image"
                + " reference: it holds white space"),
        message);
    assertTrue(refused(" wine:1", null).contains("it holds white space"));
  }

  @Test
  void whatRegistriesRefuseIsRefusedWithTheRule() {
    assertTrue(refused(":1.0", null).contains("a reference is [REGISTRY/]PATH[:TAG][@DIGEST]"));
    assertTrue(refused("{{name|lower}}:1.0", null).contains("a reference is"));
    assertTrue(refused("{{ name|lower }}:1.0", null).contains("it holds white space"));
    assertTrue(refused("wine:" + "t".repeat(129), null).contains("a reference is"));
    assertTrue(refused("", null).endsWith("it is empty"));
    assertTrue(refused("scratch", null).endsWith("scratch is a reserved name"));
    assertTrue(
        refused("wine@sha256:" + "a".repeat(64), null)
            .endsWith("a digest names an existing image, not one being built: use a tag"));
  }

  @Test
  void aNameLongerThan255CharactersIsRefused() {
    // docker.io/library/ counts, as Docker normalizes the name before it checks it.
    String longest = "a".repeat(255 - "docker.io/library/".length());
    assertEquals(longest + ":1", local(longest + ":1"));
    String message = refused(longest + "a:1", null);
    assertTrue(
        message.endsWith(
            " has 256 characters, more than the 255 registries and docker load accept"),
        message);
    String path = "r.io/" + "a".repeat(250);
    assertEquals(path + ":1", local(path + ":1"));
    assertTrue(refused(path + "a:1", null).contains(" has 256 characters"));
    RegistryTarget push = new RegistryTarget("registry.example.com", null);
    assertTrue(
        assertThrows(
                PackagingException.class,
                () -> ImageNames.reference("T", "a".repeat(240) + ":1", push))
            .getMessage()
            .contains(" has 261 characters"));
  }
}
