package org.odahu.pack.server.capture.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The credentials chain S3 capture uses finds a pod's web identity (IRSA: a role and a projected
 * token file), which needs the SDK's STS module on the class path: against a stand-in for STS's
 * AssumeRoleWithWebIdentity on loopback, the role's temporary keys come back.
 */
class WebIdentityCredentialsTest {
  @TempDir Path temp;

  @Test
  void aPodsWebIdentityTokenIsExchangedForTheRolesCredentials() throws IOException {
    // Keys in the environment come first in the chain: then this machine is no pod to test on.
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getenv("AWS_ACCESS_KEY_ID") == null
            && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null,
        "AWS credentials in the environment");
    Path token = Files.writeString(temp.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.pod.identity");
    List<String> calls = new CopyOnWriteArrayList<>();
    HttpServer sts =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sts.createContext(
        "/",
        exchange -> {
          calls.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body =
              """
              <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                <AssumeRoleWithWebIdentityResult>
                  <Credentials>
                    <AccessKeyId>ASIAPODROLEKEY</AccessKeyId>
                    <SecretAccessKey>pod-role-secret</SecretAccessKey>
                    <SessionToken>pod-role-session</SessionToken>
                    <Expiration>2099-01-01T00:00:00Z</Expiration>
                  </Credentials>
                </AssumeRoleWithWebIdentityResult>
              </AssumeRoleWithWebIdentityResponse>
              """
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/xml");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    sts.start();
    Map<String, String> properties =
        Map.of(
            "aws.roleArn",
            "arn:aws:iam::123456789012:role/odahu-capture",
            "aws.webIdentityTokenFile",
            token.toString(),
            "aws.region",
            "eu-central-1",
            "aws.endpointUrlSts",
            "http://127.0.0.1:" + sts.getAddress().getPort());
    properties.forEach(System::setProperty);
    try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
      AwsCredentials credentials = chain.resolveCredentials();
      assertEquals("ASIAPODROLEKEY", credentials.accessKeyId());
      assertEquals(1, calls.size(), calls.toString());
      assertTrue(calls.get(0).contains("Action=AssumeRoleWithWebIdentity"), calls.get(0));
      assertTrue(calls.get(0).contains("WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.pod.identity"));
    } finally {
      properties.keySet().forEach(System::clearProperty);
      sts.stop(0);
    }
  }
}
