package org.odahu.pack.pydeps.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.common.Redaction;

class RedactionTest {
  @Test
  void hidesPasswordsAndTokensInAnyText() {
    assertEquals(
        "see https://bob:****@h.example.com/simple and http://****@x.example.com/",
        Redaction.urls(
            "see https://bob:hunter2@h.example.com/simple and http://tok3n@x.example.com/"));
    assertEquals(
        "https://bob:****@h.example.com/a", Redaction.urls("https://bob:p@ss@h.example.com/a"));
    assertEquals("mailto bob@example.com stays", Redaction.urls("mailto bob@example.com stays"));
  }

  @Test
  void aPasswordWithASpaceOrWithoutSchemeIsHiddenAllTheSame() {
    assertEquals(
        "Cannot reach http://u:****@127.0.0.1:5451/simple/",
        Redaction.urls("Cannot reach http://u:Pw SECRET@127.0.0.1:5451/simple/"));
    assertEquals(
        "no such project on file:///w/http/u:****@127.0.0.1:5451/simple and http//u:****@h/",
        Redaction.urls(
            "no such project on file:///w/http/u:Pw@SECRET@127.0.0.1:5451/simple and http//u:P@h/"));
    // Requirements name their URLs after an @ of their own: that is no login.
    String requirements = "a @ http://h.example.com, b @ file:///w/b.whl (req.txt:1)";
    assertEquals(requirements, Redaction.urls(requirements));
    String image = "base python:3.11@sha256:" + "0123456789abcdef".repeat(4);
    assertEquals(image, Redaction.urls(image));
  }

  @Test
  void aTokenWithAnEmptyPasswordIsHiddenWhole() {
    assertEquals(
        "foo @ http://****@127.0.0.1:18767/files/foo-1.0-py3-none-any.whl",
        Redaction.urls("foo @ http://TOKEN123:@127.0.0.1:18767/files/foo-1.0-py3-none-any.whl"));
    assertEquals(
        "https://****@h.example.com/simple",
        Redaction.urls("https://TOKEN123:@h.example.com/simple"));
    assertEquals("https://:****@h.example.com/", Redaction.urls("https://:pw@h.example.com/"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://bob:hunter2@h.example.com/simple",
        "https://tok3n@h.example.com/simple",
        "https://TOKEN123:@h.example.com/simple",
        "https://:pw@h.example.com/simple",
        "https://h.example.com/simple"
      })
  void messagesAndSourcesRedactAlike(String url) {
    assertEquals(SourceLocation.parse(url).toString(), Redaction.urls(url));
  }

  @Test
  void everyDependencyExceptionIsRedacted() {
    assertEquals(
        "Cannot reach https://bob:****@h.example.com/",
        new DependencyException("Cannot reach https://bob:pw@h.example.com/").getMessage());
  }

  @Test
  void netrcGivesTheHostsLoginOrTheDefault(@TempDir Path home) throws Exception {
    Path file = home.resolve(".netrc");
    Files.writeString(
        file,
        "machine a.example.com\n  login alice\n  password one\ndefault login anon password two\n");
    Netrc netrc = Netrc.read(file);
    assertEquals("alice", netrc.forHost("a.example.com").orElseThrow().username());
    assertEquals("one", netrc.forHost("a.example.com").orElseThrow().password());
    assertEquals("anon", netrc.forHost("b.example.com").orElseThrow().username());
    assertEquals("alice:****", netrc.forHost("a.example.com").orElseThrow().toString());
    Files.writeString(file, "machine t.example.com login TOKEN123\n");
    assertEquals("****", Netrc.read(file).forHost("t.example.com").orElseThrow().toString());
  }
}
