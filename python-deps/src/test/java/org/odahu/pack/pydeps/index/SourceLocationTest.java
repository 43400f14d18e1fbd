package org.odahu.pack.pydeps.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.pydeps.common.DependencyException;

/** Package source URLs as pip splits them, and what a malformed one's message shows. */
class SourceLocationTest {
  @Test
  void theLoginEndsAtTheLastAtSignBeforeThePathAsPipSplitsIt() {
    SourceLocation location = SourceLocation.parse("http://u:Idx@Pw@127.0.0.1:5451/simple/");
    assertEquals("u", location.username());
    assertEquals("Idx@Pw", location.password());
    assertEquals("http://127.0.0.1:5451/simple/", location.withoutCredentials());
    assertEquals("http://u:****@127.0.0.1:5451/simple/", location.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://u:Pw/SECRET@127.0.0.1:5451/simple/",
        "http://u:Pw?SECRET@127.0.0.1:5451/simple/",
        "http://u:Pw#SECRET@127.0.0.1:5451/simple/",
        "http://u:Pw SECRET@127.0.0.1 5451/simple/",
        "http://u:SECRET@127.0.0.1:99999/simple/",
        "http://u:%zzSECRET@127.0.0.1:5451/simple/",
        "http://u:Pw@SECRET@/simple/"
      })
  void aMalformedUrlIsRefusedNamingTheSettingWithoutItsPassword(String url) {
    PackageSources sources = PackageSources.index(url);
    PackageSourceException refused =
        assertThrows(PackageSourceException.class, sources::indexes, url);
    assertTrue(
        refused.getMessage().startsWith("The index URL (pipIndexUrl, PIP_INDEX_URL,"),
        refused.getMessage());
    assertFalse(refused.getMessage().contains("SECRET"), refused.getMessage());
    assertFalse(refused.getMessage().contains("Pw"), refused.getMessage());
  }

  @Test
  void aMistypedUrlTakenAsALocalPathNeverShowsItsPassword() {
    String typo = "http//idxuser:IdxPw-SECRET@127.0.0.1:5451/simple/";
    PackageSources sources = PackageSources.index(typo).withFindLinks(List.of(typo));
    assertTrue(sources.indexes().get(0).isLocal());
    assertFalse(sources.toString().contains("SECRET"), sources.toString());
    String message =
        new DependencyException(
                "no such project on " + sources.indexes().get(0).withoutCredentials())
            .getMessage();
    assertFalse(message.contains("SECRET"), message);
    assertTrue(message.endsWith("/http/idxuser:****@127.0.0.1:5451/simple"), message);
  }
}
