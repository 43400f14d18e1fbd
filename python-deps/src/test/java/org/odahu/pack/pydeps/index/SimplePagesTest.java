package org.odahu.pack.pydeps.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimplePagesTest {
  private static final SourceLocation INDEX =
      SourceLocation.parse("https://user:pw@pypi.example.com/simple/");

  @Test
  void readsPep503AnchorsWithTheirAttributes() {
    String html =
        """
        <!DOCTYPE html><html><body>
        <a href="../../packages/ab/cd/foo-1.0-py3-none-any.whl#sha256=ABCDEF" data-requires-python="&gt;=3.8,&lt;4">foo-1.0-py3-none-any.whl</a><br/>
        <A HREF='https://files.example.com/foo-1.1.tar.gz#md5=123' data-yanked="">foo-1.1.tar.gz</A>
        <a data-yanked="bad &amp; broken" href="foo-2.0-cp311-cp311-manylinux_2_17_x86_64.whl" data-core-metadata="sha256=feed">x</a>
        <a href="foo%2Bbar-1.0-py3-none-any.whl" data-dist-info-metadata="true">x</a>
        <a name="no-href">nothing</a>
        </body></html>
        """;
    List<DistributionLink> links =
        SimplePages.html(html, URI.create("https://pypi.example.com/simple/foo/"), INDEX);
    assertEquals(4, links.size());
    DistributionLink first = links.get(0);
    assertEquals("foo-1.0-py3-none-any.whl", first.filename());
    assertEquals(
        URI.create("https://pypi.example.com/packages/ab/cd/foo-1.0-py3-none-any.whl"),
        first.url());
    assertEquals(Optional.of("abcdef"), first.sha256());
    assertEquals(">=3.8,<4", first.requiresPython());
    assertFalse(first.metadata());
    assertEquals(Optional.of(""), links.get(1).yanked());
    assertTrue(links.get(1).isSdist());
    assertEquals(Optional.empty(), links.get(1).sha256());
    assertEquals(Optional.of("bad & broken"), links.get(2).yanked());
    assertEquals(Optional.of("feed"), links.get(2).metadataSha256());
    assertTrue(links.get(3).metadata());
    assertEquals("foo+bar-1.0-py3-none-any.whl", links.get(3).filename());
  }

  @Test
  void readsAnchorsAsAnHtmlParserDoes() {
    // A quoted '>' does not end the tag; a commented-out link is no link (pip installs cm 1.0).
    String html =
        """
        <a data-requires-python=">=3.8" href="rq-1.0-py3-none-any.whl">rq</a>
        <a href="cm-1.0-py3-none-any.whl">cm</a> <!-- withdrawn:
        <a href="cm-9.0-py3-none-any.whl">cm</a> -->
        """;
    List<DistributionLink> links =
        SimplePages.html(html, URI.create("https://pypi.example.com/simple/x/"), INDEX);
    assertEquals(
        List.of("rq-1.0-py3-none-any.whl", "cm-1.0-py3-none-any.whl"),
        links.stream().map(DistributionLink::filename).toList());
    assertEquals(">=3.8", links.get(0).requiresPython());
    // One pass over a hostile page: unclosed comments end the page, never retried quadratically.
    String hostile =
        "<a href=\"x-1.0-py3-none-any.whl\">x</a>"
            + "<a x<base y".repeat(1 << 18)
            + "<!--".repeat(1 << 20);
    assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(5),
        () ->
            assertEquals(
                1, SimplePages.html(hostile, URI.create("https://p.example/x/"), INDEX).size()));
  }

  @Test
  void resolvesAgainstABaseTag() {
    String html =
        "<html><head><base href=\"https://mirror.example.com/files/\"></head><a href=\"foo-1.0.zip\">f</a>";
    assertEquals(
        URI.create("https://mirror.example.com/files/foo-1.0.zip"),
        SimplePages.html(html, URI.create("https://pypi.example.com/simple/foo/"), INDEX)
            .get(0)
            .url());
  }

  @Test
  void readsPep691Json() {
    String json =
        """
        {"meta": {"api-version": "1.1"}, "name": "foo", "files": [
          {"filename": "foo-1.0-py3-none-any.whl", "url": "../../f/foo-1.0-py3-none-any.whl",
           "hashes": {"sha256": "AA11"}, "requires-python": ">=3.7", "yanked": false,
           "core-metadata": {"sha256": "bb22"}},
          {"filename": "foo-0.9-py3-none-any.whl", "url": "https://x.example.com/foo-0.9-py3-none-any.whl",
           "hashes": {}, "yanked": "security", "dist-info-metadata": true}
        ]}
        """;
    List<DistributionLink> links =
        SimplePages.json(json, URI.create("https://pypi.example.com/simple/foo/"), INDEX);
    assertEquals(
        URI.create("https://pypi.example.com/f/foo-1.0-py3-none-any.whl"), links.get(0).url());
    assertEquals(Optional.of("aa11"), links.get(0).sha256());
    assertEquals(">=3.7", links.get(0).requiresPython());
    assertEquals(Optional.empty(), links.get(0).yanked());
    assertEquals(Optional.of("bb22"), links.get(0).metadataSha256());
    assertEquals(Optional.of("security"), links.get(1).yanked());
    assertTrue(links.get(1).metadata());
  }

  @Test
  void dropsLinksWhoseNameWouldLeaveTheCache() {
    String html =
        "<a href=\"x%2F..%2F..%2Fevil-1.0-py3-none-any.whl\">a</a><a href=\"..%2F\">b</a>"
            + "<a href=\"ok-1.0-py3-none-any.whl\">c</a>";
    assertEquals(
        List.of("ok-1.0-py3-none-any.whl"),
        SimplePages.html(html, URI.create("https://pypi.example.com/simple/x/"), INDEX).stream()
            .map(DistributionLink::filename)
            .toList());
  }

  @Test
  void aRemotePageCannotPointAtTheMachinesFilesAndABadLinkIsSkipped() {
    URI page = URI.create("https://pypi.example.com/simple/x/");
    String html =
        "<a href=\"file:///root/.cache/x-1.0-py3-none-any.whl\">a</a>"
            + "<a href=\"FILE:/etc/x-1.1-py3-none-any.whl\">b</a>"
            + "<a href=\"ftp://example.com/x-1.2-py3-none-any.whl\">c</a>"
            + "<a href=\"x-1.3-py3|none-any.whl\">d</a>"
            + "<a href=\"%zz-1.4-py3-none-any.whl\">e</a>"
            + "<a href=\"https:x-1.45-py3-none-any.whl\">hostless</a>"
            + "<a href=\"HTTPS://files.example.com/x-1.5-py3-none-any.whl\">f</a>"
            + "<a href=\"x-1.6-py3-none-any.whl\">g</a>";
    assertEquals(
        List.of("x-1.5-py3-none-any.whl", "x-1.6-py3-none-any.whl"),
        SimplePages.html(html, page, INDEX).stream().map(DistributionLink::filename).toList());
    // A base that points off HTTP(S) is ignored: links resolve against the page.
    assertEquals(
        List.of(URI.create("https://pypi.example.com/simple/x/x-1.6-py3-none-any.whl")),
        SimplePages.html(
                "<base href=\"file:///\"><a href=\"x-1.6-py3-none-any.whl\">g</a>", page, INDEX)
            .stream()
            .map(DistributionLink::url)
            .toList());
    String json =
        "{\"files\": [{\"filename\": \"x-1.0-py3-none-any.whl\", \"url\": \"file:///etc/x-1.0-py3-none-any.whl\"},"
            + " {\"filename\": \"x-1.1-py3-none-any.whl\", \"url\": \"x-1.1-py3-none-any.whl\"}]}";
    assertEquals(
        List.of("x-1.1-py3-none-any.whl"),
        SimplePages.json(json, page, INDEX).stream().map(DistributionLink::filename).toList());
    // A local find-links directory's own links stay file: URLs.
    URI local = URI.create("file:///wheels/");
    assertEquals(
        "file",
        SimplePages.html("<a href=\"x-1.6-py3-none-any.whl\">g</a>", local, INDEX)
            .get(0)
            .url()
            .getScheme());
  }

  @Test
  void keepsEntitiesItCannotDecode() {
    assertEquals(
        "a &#99999999999; b &bogus; <", SimplePages.unescape("a &#99999999999; b &bogus; &lt;"));
  }
}
