package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.odahu.pack.packager.EcrKeys;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryCredentials;
import org.odahu.pack.packager.testing.EcrApi;

/**
 * ODAHU's ecr connections, against a stand-in for ECR's API on loopback (no ECR runs here): the
 * SDK's signed JSON calls, the repository created once, the login token decoded, and the errors.
 * Pushing with the resulting user and password is what every docker connection does.
 */
class EcrLoginTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG";
  private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String PUSHED =
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/odahu/wine-1.0:3f2a";

  private EcrApi ecr;
  private EcrLogin login;

  @BeforeEach
  void startEcr() {
    ecr = EcrApi.start();
    login = new EcrLogin(ecr.endpoint());
  }

  @AfterEach
  void stopEcr() {
    ecr.close();
  }

  private static EcrKeys keys(String region) {
    return new EcrKeys("aws", KEY_ID, SECRET, region);
  }

  @Test
  void aPushCreatesTheRepositoryIfMissingAndLogsInWithTheToken() {
    RegistryCredentials first = login.credentials(keys("eu-west-1"), PUSHED, true);
    assertEquals(new RegistryCredentials("AWS", EcrApi.PASSWORD, EcrLogin.SOURCE), first);
    assertEquals(List.of("CreateRepository", "GetAuthorizationToken"), ecr.actions());
    JsonNode created = ecr.calls().get(0).body();
    assertEquals("odahu/wine-1.0", created.path("repositoryName").asText());
    assertEquals("MUTABLE", created.path("imageTagMutability").asText());
    for (EcrApi.Call call : ecr.calls()) {
      assertTrue(
          call.authorization().contains("Credential=" + KEY_ID + "/")
              && call.authorization().contains("/eu-west-1/ecr/aws4_request"),
          call.authorization());
    }

    // A repository that exists (the next version's push) is used as it is.
    ecr.clear();
    assertEquals(first, login.credentials(keys("eu-west-1"), PUSHED, true));
    assertEquals(List.of("CreateRepository", "GetAuthorizationToken"), ecr.actions());
  }

  @Test
  void withoutARegionTheRegistrysOwnIsUsedAndAPullCreatesNothing() {
    login.credentials(
        keys(""), "123456789012.dkr.ecr-fips.us-east-2.amazonaws.com/python:3.11", false);
    assertEquals(List.of("GetAuthorizationToken"), ecr.actions());
    assertTrue(
        ecr.calls().get(0).authorization().contains("/us-east-2/ecr/aws4_request"),
        ecr.calls().get(0).authorization());
  }

  @Test
  void theSdksEndpointSettingIsHonoured() {
    // The system property of AWS_ENDPOINT_URL_ECR (a VPC endpoint, say), read by the SDK itself.
    System.setProperty("aws.endpointUrlEcr", ecr.endpoint().toString());
    try {
      new EcrLogin().credentials(keys("eu-west-1"), PUSHED, false);
    } finally {
      System.clearProperty("aws.endpointUrlEcr");
    }
    assertEquals(List.of("GetAuthorizationToken"), ecr.actions());
  }

  @Test
  void refusedKeysAreAnErrorNamingTheConnectionWithoutTheKeys() {
    ecr.refuseKeys(KEY_ID + " " + SECRET);
    String message =
        assertThrows(
                PackagingException.class, () -> login.credentials(keys("eu-west-1"), PUSHED, true))
            .getMessage();
    assertTrue(
        message.startsWith(
            "ECR's API in eu-west-1 refused the keys of connection 'aws' (UnrecognizedClientException:"
                + " The security token included in the request is invalid: **** ****): check its"
                + " keyID, keySecret and region"),
        message);
    assertFalse(message.contains(SECRET) || message.contains(KEY_ID), message);
  }

  @Test
  void anUnreachableApiIsAnErrorSayingSo() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    EcrLogin nowhere = new EcrLogin(URI.create("http://127.0.0.1:" + closed));
    String message =
        assertThrows(
                PackagingException.class,
                () -> nowhere.credentials(keys("eu-west-1"), PUSHED, true))
            .getMessage();
    assertTrue(
        message.startsWith("Cannot reach ECR's API in eu-west-1 for connection 'aws': "), message);
    assertFalse(message.contains(SECRET), message);
  }

  @Test
  void registriesAreRecognisedAsOdahuDid() {
    assertEquals(
        Optional.of("eu-west-1"), EcrLogin.region("123456789012.dkr.ecr.eu-west-1.amazonaws.com"));
    assertEquals(
        Optional.of("cn-north-1"),
        EcrLogin.region("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"));
    assertEquals(Optional.empty(), EcrLogin.region("registry.example.com"));
    assertEquals(Optional.empty(), EcrLogin.region("123.dkr.ecr.eu-west-1.amazonaws.com.evil.io"));
    String message =
        assertThrows(
                PackagingException.class,
                () -> login.credentials(keys("eu-west-1"), "registry.example.com/wine:1", true))
            .getMessage();
    assertEquals(
        "Connection 'aws' is of type ecr, but registry.example.com/wine:1 is in no ECR registry",
        message);
    assertEquals(List.of(), ecr.calls());
  }
}
