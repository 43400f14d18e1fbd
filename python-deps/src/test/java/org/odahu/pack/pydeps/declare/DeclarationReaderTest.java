package org.odahu.pack.pydeps.declare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.pep508.MarkerEnvironment;
import org.odahu.pack.pydeps.pep508.Requirement;

class DeclarationReaderTest {
  @TempDir Path artifact;

  private Path write(String path, String text) throws IOException {
    Path file = artifact.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private static List<String> requirements(DeclaredDependencies declared) {
    return declared.requirements().stream().map(r -> r.requirement().toString()).toList();
  }

  @Test
  void longRunsOfSpacesAreReadInOnePass() throws IOException {
    // A megabyte of spaces before something that is no comment, or no comma: quadratic patterns
    // backtracked over the whole run from each of its spaces (hours).
    String spaces = " ".repeat(1 << 20);
    write("model/requirements.txt", "beta" + spaces + ">=1\nalpha" + spaces + "# pinned\n");
    write("model/conda.yaml", "dependencies:\n  - numpy >=1.19" + spaces + "," + spaces + "<2\n");
    DeclarationReader reader = new DeclarationReader(artifact, Map.of());
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          assertEquals(
              List.of("beta>=1", "alpha"),
              requirements(reader.readRequirements("model/requirements.txt")));
          assertEquals(
              List.of("numpy>=1.19,<2"), requirements(reader.readCondaYaml("model/conda.yaml")));
        });
  }

  @Test
  void aLeadingByteOrderMarkIsSkippedAsPipSkipsIt() throws IOException {
    write("model/requirements.txt", "\uFEFFbeta==1.0\n-r more.txt\n-c cons.txt\n");
    write("model/more.txt", "\uFEFFalpha\n");
    write("model/cons.txt", "\uFEFFalpha<2\n");
    write("model/conda.yaml", "\uFEFFdependencies:\n  - pip:\n    - gamma\n");
    DeclarationReader reader = new DeclarationReader(artifact, Map.of());
    DeclaredDependencies declared = reader.readRequirements("model/requirements.txt");
    assertEquals(List.of("beta==1.0", "alpha"), requirements(declared));
    assertEquals(
        List.of("alpha<2"),
        declared.constraints().stream().map(r -> r.requirement().toString()).toList());
    assertEquals(List.of("gamma"), requirements(reader.readCondaYaml("model/conda.yaml")));
  }

  @Test
  void aYamlAliasIsRefusedNotInstalledAsAPackageOfItsName() throws IOException {
    write("model/conda.yaml", "dependencies:\n  - &sk scikit-learn=1.2\n  - pip:\n    - *sk\n");
    DeclarationException refused =
        assertThrows(
            DeclarationException.class,
            () -> new DeclarationReader(artifact, Map.of()).readCondaYaml("model/conda.yaml"));
    assertEquals(
        "model/conda.yaml:4: YAML aliases (*sk) are not read; write the value itself",
        refused.getMessage());
    write(
        "model/python_env.yaml",
        "python: 3.11\ndependencies:\n  - &sk scikit-learn==1.2.1\n  - *sk\n");
    assertEquals(
        "model/python_env.yaml:4: YAML aliases (*sk) are not read; write the value itself",
        assertThrows(
                DeclarationException.class,
                () ->
                    new DeclarationReader(artifact, Map.of())
                        .readPythonEnv("model/python_env.yaml"))
            .getMessage());
  }

  @Test
  void readsOdahusWineCondaFile() throws IOException {
    write(
        "odahuflow_model/conda.yaml",
        """
        name: wine
        channels:
          - defaults
        dependencies:
          - python=3.7.3
          - pip
          - numpy=1.19
          - conda-forge::scikit-learn >=0.23,<0.24
          - pandas 1.1.*
          - pytorch==1.7.1=py3.7_cuda10.2
          - mkl
          - cudatoolkit=10.2
          - pip:
            - mlflow==1.13
            - -r requirements.txt
        """);
    write("odahuflow_model/requirements.txt", "cloudpickle>=1.6 # pickling\n");
    DeclaredDependencies declared =
        new DeclarationReader(artifact, Map.of()).readCondaYaml("odahuflow_model/conda.yaml");
    assertEquals(
        List.of(
            "numpy==1.19.*",
            "scikit-learn>=0.23,<0.24",
            "pandas==1.1.*",
            "torch==1.7.1",
            "mlflow==1.13",
            "cloudpickle>=1.6"),
        requirements(declared));
    assertEquals("odahuflow_model/conda.yaml:7", declared.requirements().get(0).origin());
    assertEquals("odahuflow_model/requirements.txt:1", declared.requirements().get(5).origin());
    assertEquals(
        List.of("mkl", "cudatoolkit"),
        declared.condaOnly().stream().map(CondaOnlyPackage::name).toList());
    PythonPin python = declared.pythonPins().get(0);
    assertTrue(python.versions().contains(Version.parse("3.7.3")));
    assertFalse(python.versions().contains(Version.parse("3.11.2")));
    assertTrue(declared.notes().get(0).contains("'pip' dropped"), declared.notes().toString());
  }

  @Test
  void readsRequirementsFilesAsPipDoes() throws IOException {
    write(
        "model/requirements.txt",
        """
        # comment
        --index-url https://${INDEX_USER}:${INDEX_TOKEN}@pypi.example.com/simple
        --extra-index-url=https://extra.example.com/simple
        -f ./wheels
        --trusted-host extra.example.com
        -c constraints.txt
        xgboost==1.7.6 \\
            --hash=sha256:0000000000000000000000000000000000000000000000000000000000000001 \\
            --hash=sha256:00000000000000000000000000000000000000000000000000000000000000AB
        requests[socks] >= 2.0 ; python_version >= "3.8"
        ./wheels/local_pkg-1.0-py3-none-any.whl
        """);
    write("model/constraints.txt", "urllib3<2\n");
    write("model/wheels/local_pkg-1.0-py3-none-any.whl", "");
    DeclaredDependencies declared =
        new DeclarationReader(artifact, Map.of("INDEX_USER", "alice", "INDEX_TOKEN", "t0k3n"))
            .readRequirements("model/requirements.txt");
    assertEquals(
        Optional.of("https://alice:t0k3n@pypi.example.com/simple"), declared.sources().indexUrl());
    assertEquals(List.of("https://extra.example.com/simple"), declared.sources().extraIndexUrls());
    assertEquals(
        List.of(artifact.toRealPath().resolve("model/wheels").toString()),
        declared.sources().findLinks());
    assertEquals(List.of("extra.example.com"), declared.sources().trustedHosts());
    assertEquals(
        List.of("urllib3<2"),
        declared.constraints().stream().map(r -> r.requirement().toString()).toList());
    DeclaredRequirement xgboost = declared.requirements().get(0);
    assertEquals("xgboost==1.7.6", xgboost.requirement().toString());
    assertEquals("model/requirements.txt:7", xgboost.origin());
    assertEquals(2, xgboost.hashes().size());
    assertTrue(xgboost.hashes().get(1).endsWith("ab"));
    assertEquals(
        "requests[socks]>=2.0; python_version >= \"3.8\"",
        declared.requirements().get(1).requirement().toString());
    assertEquals("local-pkg", declared.requirements().get(2).requirement().key());
    assertTrue(declared.requirements().get(2).requirement().url().startsWith("file:/"));
  }

  @Test
  void continuationsWheelPathsAndHashesAreReadAsPipReadsThem() throws IOException {
    String hash = "sha256:" + "0".repeat(63) + "1";
    write(
        "model/requirements.txt",
        "alpha==1.\\\n0\n"
            + "gamma==1.0 --hash "
            + hash
            + "\n"
            + "wheels/beta-1.0-py3-none-any.whl[fast, ssl] ; python_version < '3'\n"
            + "delta-2.0-py3-none-any.whl\n");
    write("model/wheels/beta-1.0-py3-none-any.whl", "");
    write("model/delta-2.0-py3-none-any.whl", "");
    List<DeclaredRequirement> read =
        new DeclarationReader(artifact, Map.of())
            .readRequirements("model/requirements.txt")
            .requirements();
    assertEquals("alpha==1.0", read.get(0).requirement().toString());
    assertEquals(List.of(hash.substring(7)), read.get(1).hashes());
    Requirement beta = read.get(2).requirement();
    assertEquals("beta", beta.key());
    assertEquals(Set.of("fast", "ssl"), beta.extras());
    assertFalse(beta.appliesTo(MarkerEnvironment.linuxCPython("3.11.2", "x86_64"), Set.of()));
    assertTrue(beta.url().endsWith("model/wheels/beta-1.0-py3-none-any.whl"), beta.url());
    assertEquals("delta", read.get(3).requirement().key());
    write(
        "model/requirements.txt",
        "numpy@https://h.example/numpy-1.26.0-py3-none-any.whl\n"
            + "https://h.example/a;b/mypkg-0.1-py3-none-any.whl#sha256=00\n"
            + "my wheels/epsilon-1.0-py3-none-any.whl\n"
            + "zeta==1.0 \\\n"
            + "# pinned\n");
    write("model/my wheels/epsilon-1.0-py3-none-any.whl", "");
    read =
        new DeclarationReader(artifact, Map.of())
            .readRequirements("model/requirements.txt")
            .requirements();
    assertEquals(
        List.of("numpy", "mypkg", "epsilon", "zeta"),
        read.stream().map(r -> r.requirement().key()).toList());
    assertEquals(
        "https://h.example/numpy-1.26.0-py3-none-any.whl", read.get(0).requirement().url());
    assertEquals(
        "https://h.example/a;b/mypkg-0.1-py3-none-any.whl#sha256=00",
        read.get(1).requirement().url());
    assertEquals("zeta==1.0", read.get(3).requirement().toString());
  }

  @Test
  void aHostileWheelLineIsReadInLinearTime() throws IOException {
    write("model/requirements.txt", "x-1.0-py3-none-any.whl[" + " ".repeat(1 << 20) + "a\n");
    DeclarationReader reader = new DeclarationReader(artifact, Map.of());
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThrows(
                DeclarationException.class,
                () -> reader.readRequirements("model/requirements.txt")));
  }

  @Test
  void missingFilesAndBrokenYamlAreExplainedInWords() throws IOException {
    DeclarationReader reader = new DeclarationReader(artifact, Map.of());
    write("model/requirements.txt", "alpha\n-r other.txt\n");
    assertEquals(
        "model/requirements.txt:2: cannot read 'model/other.txt': no such file",
        assertThrows(
                DeclarationException.class, () -> reader.readRequirements("model/requirements.txt"))
            .getMessage());
    write("model/requirements.txt", "-c cons.txt\n");
    assertEquals(
        "model/requirements.txt:1: cannot read 'model/cons.txt': no such file",
        assertThrows(
                DeclarationException.class, () -> reader.readRequirements("model/requirements.txt"))
            .getMessage());
    write("model/requirements.txt", "alpha\nwheels/beta-1.0-py3-none-any.whl\n");
    assertEquals(
        "model/requirements.txt:2: no such wheel 'wheels/beta-1.0-py3-none-any.whl' (looked for"
            + " model/wheels/beta-1.0-py3-none-any.whl in the artifact; a path is read relative to"
            + " the file that names it)",
        assertThrows(
                DeclarationException.class, () -> reader.readRequirements("model/requirements.txt"))
            .getMessage());
    write("model/conda.yaml", "dependencies:\n  - pip: [alpha,\n    beta\n");
    String broken =
        assertThrows(DeclarationException.class, () -> reader.readCondaYaml("model/conda.yaml"))
            .getMessage();
    assertTrue(
        broken.matches(
            "model/conda\\.yaml:[34]:[0-9]+ is not valid YAML: while parsing a flow sequence"),
        broken);
  }

  @Test
  void aRelativeFileUrlIsAPathRelativeToTheRequirementsFile() throws IOException {
    write("model/wheels/beta-1.0-py3-none-any.whl", "");
    write("model/requirements.txt", "beta @ file:wheels/beta-1.0-py3-none-any.whl\n");
    DeclarationReader reader = new DeclarationReader(artifact, Map.of());
    assertEquals(
        "file://" + artifact.toRealPath().resolve("model/wheels/beta-1.0-py3-none-any.whl"),
        reader
            .readRequirements("model/requirements.txt")
            .requirements()
            .get(0)
            .requirement()
            .url());
    write("model/requirements.txt", "beta @ file:./nowhere/beta-1.0-py3-none-any.whl\n");
    assertTrue(
        assertThrows(
                DeclarationException.class, () -> reader.readRequirements("model/requirements.txt"))
            .getMessage()
            .startsWith(
                "model/requirements.txt:1: no such wheel './nowhere/beta-1.0-py3-none-any.whl'"));
  }

  @Test
  void aCondaPathNamingNoFileIsAnErrorNotNoDependencies() throws IOException {
    write("model/conda.yaml", "dependencies:\n  - pip:\n    - alpha\n");
    DeclarationException typo =
        assertThrows(
            DeclarationException.class,
            () -> DeclarationFiles.discover(artifact, "model/conda.yml", "model"));
    assertEquals(
        "binaries.conda_path of the model manifest names 'model/conda.yml', which is no file of"
            + " the artifact "
            + artifact
            + " (ODAHU's conda packaging failed on it too). Remedy: correct conda_path in"
            + " odahuflow.project.yaml, or remove it if the model declares no dependencies",
        typo.getMessage());
    assertThrows(
        DeclarationException.class, () -> DeclarationFiles.discover(artifact, "model", "model"));
    assertEquals(Optional.empty(), DeclarationFiles.discover(artifact, null, "model").condaYaml());
    assertEquals(Optional.empty(), DeclarationFiles.discover(artifact, " ", "model").condaYaml());
  }

  @Test
  void includesStayInsideTheArtifact() throws IOException {
    write("model/requirements.txt", "-r ../../outside.txt\n");
    DeclarationException e =
        assertThrows(
            DeclarationException.class,
            () ->
                new DeclarationReader(artifact, Map.of())
                    .readRequirements("model/requirements.txt"));
    assertEquals(
        "model/requirements.txt:1: '../../outside.txt' is outside the artifact", e.getMessage());
    write("model/abs.txt", "-r /etc/passwd\n");
    assertThrows(
        DeclarationException.class,
        () -> new DeclarationReader(artifact, Map.of()).readRequirements("model/abs.txt"));
    write("model/url.txt", "-r https://example.com/r.txt\n");
    assertThrows(
        DeclarationException.class,
        () -> new DeclarationReader(artifact, Map.of()).readRequirements("model/url.txt"));
  }

  @Test
  void anIncludeLinkingOutOfTheArtifactIsRefused(@TempDir Path elsewhere) throws IOException {
    Files.writeString(elsewhere.resolve("secret.txt"), "numpy\n");
    Files.createDirectories(artifact.resolve("model"));
    Files.createSymbolicLink(artifact.resolve("model/linked.txt"), elsewhere.resolve("secret.txt"));
    write("model/requirements.txt", "-r linked.txt\n");
    DeclarationException e =
        assertThrows(
            DeclarationException.class,
            () ->
                new DeclarationReader(artifact, Map.of())
                    .readRequirements("model/requirements.txt"));
    assertTrue(e.getMessage().contains("links outside the artifact"), e.getMessage());
  }

  @Test
  void anIncludeCycleIsReported() throws IOException {
    write("a.txt", "-r b.txt\n");
    write("b.txt", "-r a.txt\n");
    DeclarationException e =
        assertThrows(
            DeclarationException.class,
            () -> new DeclarationReader(artifact, Map.of()).readRequirements("a.txt"));
    assertTrue(e.getMessage().contains("includes itself"), e.getMessage());
  }

  @Test
  void sdistsEditablesAndVcsLinesAreRefusedWithTheReason() throws IOException {
    write("r1.txt", "./pkg-1.0.tar.gz\n");
    write("r2.txt", "-e ./pkg\n");
    write("r3.txt", "git+https://user:hunter2@github.com/org/pkg.git\n");
    DeclarationReader reader = new DeclarationReader(artifact, Map.of());
    assertTrue(
        assertThrows(DeclarationException.class, () -> reader.readRequirements("r1.txt"))
            .getMessage()
            .contains("installs wheels only"));
    assertTrue(
        assertThrows(DeclarationException.class, () -> reader.readRequirements("r2.txt"))
            .getMessage()
            .contains("editable"));
    String vcs =
        assertThrows(DeclarationException.class, () -> reader.readRequirements("r3.txt"))
            .getMessage();
    assertTrue(vcs.contains("not a wheel") && !vcs.contains("hunter2"), vcs);
  }

  @Test
  void readsMlflowsPythonEnvAndItsRequirementsOnce() throws IOException {
    write(
        "model/python_env.yaml",
        """
        python: 3.8.15
        build_dependencies:
          - pip==23.0
          - setuptools
        dependencies:
          - -r requirements.txt
        """);
    write("model/requirements.txt", "mlflow<3\ncloudpickle==2.2.1\n");
    write("model/conda.yaml", "dependencies:\n  - python=3.8.15\n  - pip:\n    - mlflow<3\n");
    DeclarationFiles files = DeclarationFiles.discover(artifact, "model/conda.yaml", "model");
    assertEquals(
        new DeclarationFiles(
            Optional.of("model/conda.yaml"),
            Optional.of("model/requirements.txt"),
            Optional.of("model/python_env.yaml")),
        files);
    DeclaredDependencies declared = new DeclarationReader(artifact, Map.of()).read(files);
    assertEquals(List.of("mlflow<3", "mlflow<3", "cloudpickle==2.2.1"), requirements(declared));
    assertEquals(2, declared.pythonPins().size());
    assertTrue(
        declared.pythonPins().get(1).versions().contains(Version.parse("3.8.10")),
        "python_env pins the minor version");
  }

  @Test
  void condaVersionsThatPep440CannotSayAreErrors() throws IOException {
    write("conda.yaml", "dependencies:\n  - numpy 1.19|1.20\n");
    DeclarationException e =
        assertThrows(
            DeclarationException.class,
            () -> new DeclarationReader(artifact, Map.of()).readCondaYaml("conda.yaml"));
    assertEquals(
        "conda.yaml:2: conda version 'numpy 1.19|1.20' has alternatives ('|') that PEP 440 cannot express; list the package under 'pip:' with a PEP 440 specifier",
        e.getMessage());
  }
}
