package org.odahu.pack.pydeps.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.declare.SourceDeclarations;

class PipConfigurationTest {
  @TempDir Path home;
  @TempDir Path etc;

  @Test
  void filesThenVariablesAsPipReadsThem() throws IOException {
    Files.writeString(
        etc.resolve("pip.conf"),
        "[global]\nindex-url = https://system.example.com/simple\ntimeout = 5\n");
    Files.createDirectories(home.resolve(".config/pip"));
    Files.writeString(
        home.resolve(".config/pip/pip.conf"),
        """
        [global]
        index-url = https://user.example.com/simple
        extra-index-url =
            https://one.example.com/simple
            https://two.example.com/simple
        [install]
        trusted-host = one.example.com
        [freeze]
        index-url = https://ignored.example.com/simple
        """);
    Files.writeString(
        home.resolve(".netrc"), "machine one.example.com login bob password secret\n");
    PackageSources sources =
        PipConfiguration.read(Map.of("PIP_FIND_LINKS", "/wheels /more"), home, etc);
    assertEquals("https://user.example.com/simple", sources.indexUrl());
    assertEquals(
        List.of("https://one.example.com/simple", "https://two.example.com/simple"),
        sources.extraIndexUrls());
    assertEquals(List.of("one.example.com"), sources.trustedHosts());
    assertEquals(List.of("/wheels", "/more"), sources.findLinks());
    assertEquals(Duration.ofSeconds(5), sources.timeout());
    assertEquals(Optional.of(home.resolve(".netrc")), sources.netrc());
    assertFalse(sources.noIndex());
  }

  @Test
  void defaultTimeoutIsTimeoutUnderItsOtherName() throws IOException {
    Files.writeString(etc.resolve("pip.conf"), "[global]\ndefault-timeout = 7\n");
    assertEquals(Duration.ofSeconds(7), PipConfiguration.read(Map.of(), home, etc).timeout());
    assertEquals(
        Duration.ofSeconds(9),
        PipConfiguration.read(Map.of("PIP_DEFAULT_TIMEOUT", "9"), home, etc).timeout());
    assertEquals(
        Duration.ofSeconds(11),
        PipConfiguration.read(Map.of("PIP_DEFAULT_TIMEOUT", "9", "PIP_TIMEOUT", "11"), home, etc)
            .timeout());
  }

  @Test
  void pipConfigFileAndVariablesWin() throws IOException {
    Path custom = home.resolve("custom.conf");
    Files.writeString(
        custom, "[global]\nindex-url = https://custom.example.com/simple\nno-index = false\n");
    Files.writeString(
        etc.resolve("pip.conf"), "[global]\nindex-url = https://system.example.com/simple\n");
    PackageSources fromFile =
        PipConfiguration.read(Map.of("PIP_CONFIG_FILE", custom.toString()), home, etc);
    assertEquals("https://custom.example.com/simple", fromFile.indexUrl());
    PackageSources fromVariable =
        PipConfiguration.read(
            Map.of(
                "PIP_CONFIG_FILE",
                custom.toString(),
                "PIP_INDEX_URL",
                "https://env.example.com/simple",
                "PIP_NO_INDEX",
                "yes"),
            home,
            etc);
    assertEquals("https://env.example.com/simple", fromVariable.indexUrl());
    assertTrue(fromVariable.noIndex());
    assertEquals(
        PackageSources.PYPI, PipConfiguration.read(Map.of(), home, etc.resolve("none")).indexUrl());
    assertEquals(
        PackageSources.PYPI,
        PipConfiguration.read(Map.of("PIP_CONFIG_FILE", "/dev/null"), home, etc).indexUrl(),
        "as pip: os.devnull means no configuration file at all");
  }

  @Test
  void anExistingPipConfigFileReplacesTheUsersFilesNotTheSystems() throws IOException {
    Files.writeString(etc.resolve("pip.conf"), "[global]\ntimeout = 5\n");
    Files.createDirectories(home.resolve(".config/pip"));
    Files.writeString(
        home.resolve(".config/pip/pip.conf"),
        "[global]\nextra-index-url = https://user.example.com/simple\n");
    Path custom = Files.writeString(home.resolve("custom.conf"), "[global]\nno-index = false\n");
    PackageSources sources =
        PipConfiguration.read(Map.of("PIP_CONFIG_FILE", custom.toString()), home, etc);
    assertEquals(List.of(), sources.extraIndexUrls());
    assertEquals(Duration.ofSeconds(5), sources.timeout());
    assertEquals(
        List.of("https://user.example.com/simple"),
        PipConfiguration.read(
                Map.of("PIP_CONFIG_FILE", home.resolve("missing.conf").toString()), home, etc)
            .extraIndexUrls(),
        "a file that does not exist leaves the user's files read, as pip does");
  }

  @Test
  void proxiesFromTheEnvironmentOrPipsOwnSetting() throws IOException {
    PackageSources fromVariables =
        PipConfiguration.read(
            Map.of(
                "HTTPS_PROXY", "http://proxy.corp:3128",
                "http_proxy", "proxy.corp:8080",
                "no_proxy", ".internal.corp, localhost"),
            home,
            etc);
    Proxies proxies = fromVariables.proxies();
    assertEquals(
        Optional.of(URI.create("http://proxy.corp:3128")),
        proxies.proxyFor(URI.create("https://pypi.org/simple/x/")));
    assertEquals(
        Optional.of(URI.create("http://proxy.corp:8080")),
        proxies.proxyFor(URI.create("http://mirror.example.com/simple/x/")));
    assertEquals(
        Optional.empty(), proxies.proxyFor(URI.create("https://pypi.internal.corp/simple/x/")));
    assertEquals(Optional.empty(), proxies.proxyFor(URI.create("http://localhost:8080/simple/")));
    // pip's --proxy, here from pip.conf, is for every scheme and wins over the variables
    Files.writeString(etc.resolve("pip.conf"), "[global]\nproxy = http://pip-proxy:3128\n");
    Proxies pips =
        PipConfiguration.read(Map.of("HTTPS_PROXY", "http://other:1"), home, etc).proxies();
    assertEquals(
        Optional.of(URI.create("http://pip-proxy:3128")),
        pips.proxyFor(URI.create("https://pypi.org/simple/x/")));
    assertEquals(Proxies.NONE, PipConfiguration.read(Map.of(), home, home).proxies());
  }

  @Test
  void certificatesFromPipsCertElseRequestsVariables() throws IOException {
    assertEquals(Optional.empty(), PipConfiguration.read(Map.of(), home, etc).certificates());
    Map<String, String> requests = Map.of("REQUESTS_CA_BUNDLE", "/etc/corp/ca.pem");
    assertEquals(
        Optional.of(new CertificateBundle(Path.of("/etc/corp/ca.pem"), "REQUESTS_CA_BUNDLE")),
        PipConfiguration.read(requests, home, etc).certificates());
    Files.writeString(etc.resolve("pip.conf"), "[global]\ncert = /etc/pip-ca.pem\n");
    assertEquals(
        Optional.of(Path.of("/etc/pip-ca.pem")),
        PipConfiguration.read(requests, home, etc).certificates().map(CertificateBundle::path));
    assertEquals(
        Optional.of(Path.of("/env-ca.pem")),
        PipConfiguration.read(Map.of("PIP_CERT", "/env-ca.pem"), home, etc)
            .certificates()
            .map(CertificateBundle::path));
  }

  @Test
  void aModelsOwnOptionsApplyAsARequirementsFilesDo() {
    PackageSources configured = PackageSources.index("https://configured.example.com/simple");
    SourceDeclarations declared =
        SourceDeclarations.index("https://model.example.com/simple")
            .merge(SourceDeclarations.extraIndex("https://extra.example.com/simple"))
            .merge(SourceDeclarations.findLinks("/artifact/wheels"));
    PackageSources effective = configured.with(declared);
    assertEquals(
        List.of(
            "index https://model.example.com/simple",
            "index https://extra.example.com/simple",
            "links (local)"),
        effective.fingerprint());
    PackageSources offline = PackageSources.wheelhouse(Path.of("/wheelhouse")).with(declared);
    assertEquals(List.of("links (local)", "links (local)"), offline.fingerprint());
  }

  @Test
  void packagingArgumentsOverrideTheConfiguration() {
    PackageSources sources =
        PackageSources.index("https://configured.example.com/simple")
            .withIndexUrl("https://argument.example.com/simple")
            .withExtraIndexUrls(List.of("https://extra.example.com/simple"))
            .withFindLinks(List.of("https://links.example.com/wheels/"));
    assertEquals(
        List.of(
            "index https://argument.example.com/simple",
            "index https://extra.example.com/simple",
            "links https://links.example.com/wheels/"),
        sources.fingerprint());
  }

  @Test
  void credentialsStayOutOfTextAndKeys() {
    PackageSources sources =
        PackageSources.index("https://alice:p%40ss@pypi.example.com/simple")
            .withExtraIndexUrls(List.of("https://t0k3n@other.example.com/simple"));
    assertEquals(
        "https://alice:****@pypi.example.com/simple, https://****@other.example.com/simple",
        sources.toString());
    assertEquals(
        List.of("index https://pypi.example.com/simple", "index https://other.example.com/simple"),
        sources.fingerprint());
    SourceLocation location = sources.indexes().get(0);
    assertEquals("alice", location.username());
    assertEquals("p@ss", location.password());
  }
}
