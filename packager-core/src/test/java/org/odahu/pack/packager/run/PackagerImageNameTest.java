package org.odahu.pack.packager.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.testing.RecordingListener;
import org.odahu.pack.packager.testing.TestLayouts;

/**
 * A packaging whose imageName cannot name an image fails before anything slow starts: the base
 * image is never resolved, nothing is built.
 */
class PackagerImageNameTest {
  @TempDir Path temp;

  static Stream<Arguments> imageNames() {
    return Stream.of(
        // Refused as it is parsed, before the artifact is read.
        Arguments.of("{{ Name|replace('s', 'z') }}:1", "holds {{ Name|replace('s', 'z') }}", false),
        Arguments.of("{{ RandomUUID[:8] }}", "holds {{ RandomUUID[:8] }}", false),
        // Refused once rendered with the model's name and version.
        Arguments.of(
            "odahu/{{ Nmae }}:{{ Version }}",
            "renders 'odahu/:1.0', which is not a valid image reference",
            true),
        Arguments.of(
            "{{ Name }}:{{ Version }}\n\n",
            "renders 'simple:1.0\\n', which is not a valid image reference: it holds white space",
            true),
        Arguments.of(
            "{{ Name }}" + "A".repeat(232) + ":1",
            " has 256 characters, more than the 255 registries and docker load accept",
            true));
  }

  @ParameterizedTest
  @MethodSource("imageNames")
  void anImageNameThatNamesNoImageFailsBeforeTheBaseImageIsResolved(
      String imageName, String expected, boolean artifactRead) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode packaging = json.createObjectNode().put("kind", "ModelPackaging").put("id", "p");
    packaging
        .putObject("spec")
        .put("artifactName", "simple")
        .put("integrationName", "docker-rest")
        .putObject("arguments")
        .put("imageName", imageName);
    Path manifest = Files.writeString(temp.resolve("p.json"), json.writeValueAsString(packaging));
    PackagingPlan plan =
        new PackagingPlans(TestLayouts.builtIn())
            .local(ResourceSet.read(List.of(manifest), List.of()), "p", Set.of(), true);
    RecordingListener listener = new RecordingListener();
    PackagerSettings settings =
        new PackagerSettings(
            temp.resolve("cache"),
            List.of(temp.resolve("server.jar")),
            "0.1.0-test",
            false,
            () -> {
              throw new AssertionError("the base image was resolved before the name was checked");
            });
    Packager packager =
        new Packager(settings, TestLayouts.builtIn(), ExitCleanup.manual(), listener);
    Path artifact = Examples.artifact("simple");
    PackagingException e =
        assertThrows(
            PackagingException.class,
            () ->
                packager.pack(
                    artifact, plan, new Packager.TarballOutput(temp.resolve("out.tar"), null)));
    assertTrue(e.getMessage().startsWith("The imageName argument '"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(
        artifactRead ? List.of("Reading the model artifact " + artifact) : List.of(),
        listener.lines());
  }
}
