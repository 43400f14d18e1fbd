package org.odahu.pack.baseimages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A mirror's login split off its URL, into what wget reads from a netrc file. */
class MirrorLoginTest {
  @Test
  void theUrlLosesItsLoginAndTheNetrcGetsItDecoded() {
    MirrorLogin login = MirrorLogin.of("https://user:p%40ss%2Bw0rd@mirror.example.com:8443/debian");
    assertEquals("https://mirror.example.com:8443/debian", login.url());
    assertEquals("machine mirror.example.com login user password p@ss+w0rd\n", login.netrc());
  }

  @Test
  void aPasswordWithAnAtSignOrSpacesIsSplitAtTheLastAtAndQuoted() {
    MirrorLogin login = MirrorLogin.of("http://user:a@b c\"d@[::1]:3142/debian");
    assertEquals("http://[::1]:3142/debian", login.url());
    assertEquals("machine [::1] login user password \"a@b c\\\"d\"\n", login.netrc());
  }

  @Test
  void aMirrorWithoutALoginIsKeptAsItIs() {
    MirrorLogin plain = MirrorLogin.of("http://deb.debian.org/debian");
    assertEquals("http://deb.debian.org/debian", plain.url());
    assertNull(plain.netrc());
    assertEquals(
        "E: Failed getting release file http://mirror/debian/dists/x and ftp://h/y",
        MirrorLogin.withoutLogins(
            "E: Failed getting release file http://u:pw@mirror/debian/dists/x and ftp://t@h/y"));
  }
}
