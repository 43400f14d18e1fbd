package org.odahu.pack.packager.deps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.install.InstalledTree;

/** A packaging's dependency arguments on top of the machine's pip settings. */
class ModelDependenciesTest {
  private static final DependencySettings MACHINE =
      new DependencySettings(
          PackageSources.index("https://pypi.example/simple")
              .withExtraIndexUrls(List.of("https://extra.example/simple")),
          Map.of(),
          false,
          false);

  private static PackagingPlan packaging(String json) throws Exception {
    ObjectNode arguments = (ObjectNode) new ObjectMapper().readTree(json);
    return new PackagingPlan(
        "p", "model.zip", "docker-rest", "docker-rest", arguments, null, null, List.of());
  }

  @Test
  void withoutArgumentsTheMachinesSourcesAreUsedAsTheyAre() throws Exception {
    PackagingPlan plan = packaging("{}");
    assertEquals(MACHINE.sources(), ModelDependencies.sources(MACHINE, plan));
    assertFalse(ModelDependencies.options(MACHINE, plan).strict());
  }

  @Test
  void theIndexArgumentReplacesTheMainIndexAndTheListsAddToTheMachines() throws Exception {
    PackageSources sources =
        ModelDependencies.sources(
            MACHINE,
            packaging(
                "{\"pipIndexUrl\": \"https://u:secret@own.example/simple\","
                    + " \"pipExtraIndexUrls\": [\"https://more.example/simple\","
                    + " \"https://extra.example/simple\"],"
                    + " \"pipFindLinks\": \" /wheels  https://links.example/page \"}"));
    assertEquals("https://u:secret@own.example/simple", sources.indexUrl());
    assertEquals(
        List.of("https://extra.example/simple", "https://more.example/simple"),
        sources.extraIndexUrls(),
        "the machine's first, each once");
    assertEquals(List.of("/wheels", "https://links.example/page"), sources.findLinks());
    assertFalse(sources.toString().contains("secret"), sources.toString());
  }

  @Test
  void aWheelhouseBuildTakesOnlyLocalFindLinksFromTheArguments() throws Exception {
    DependencySettings offline = MACHINE.withSources(PackageSources.wheelhouse(Path.of("/wh")));
    PackageSources sources =
        ModelDependencies.sources(
            offline,
            packaging(
                "{\"pipIndexUrl\": \"https://own.example/simple\","
                    + " \"pipFindLinks\": [\"/more-wheels\", \"https://links.example/page\"]}"));
    assertTrue(sources.indexes().isEmpty(), "no index: " + sources);
    assertEquals(Optional.of(Path.of("/wh")), sources.wheelhouse());
    assertEquals(
        List.of("/wh", "/more-wheels"),
        sources.links().stream().map(l -> l.uri().getPath()).toList());
  }

  @Test
  void theWorkersRunTheBasesInterpreterWhateverTheLayersBinHolds(@TempDir Path tree)
      throws Exception {
    Files.createDirectories(tree.resolve("bin"));
    Map<String, String> environment =
        ModelDependencies.imageEnvironment(
            new InstalledTree(tree, "/opt/odahu-pack/deps", "key", false),
            "/usr/local/bin/python3",
            Map.of("PATH", "/usr/local/bin:/usr/bin"));
    assertEquals("/opt/odahu-pack/deps/bin:/usr/local/bin:/usr/bin", environment.get("PATH"));
    assertEquals("/usr/local/bin/python3", environment.get("ODAHU_PYTHON"));
    assertEquals("/opt/odahu-pack/deps/site-packages", environment.get("PYTHONPATH"));
  }

  @Test
  void strictDependenciesComesFromTheFlagOrTheArgument() throws Exception {
    assertTrue(
        ModelDependencies.options(MACHINE, packaging("{\"strictDependencies\": true}")).strict());
    DependencySettings strict = new DependencySettings(MACHINE.sources(), Map.of(), true, true);
    assertTrue(ModelDependencies.options(strict, packaging("{}")).strict());
    assertTrue(ModelDependencies.options(strict, packaging("{}")).refresh());
    assertFalse(
        ModelDependencies.options(MACHINE, packaging("{\"strictDependencies\": false}")).strict());
  }
}
