package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.server.capture.s3.S3CaptureOptions;

/** The SDK's endpoint variables are checked while the command line is read. */
class CaptureTargetTest {
  private static CaptureTarget resolve(S3CaptureOptions.Builder s3, Map<String, String> env) {
    return CaptureTarget.resolve(null, "s3://capture/odahu", s3, env::get);
  }

  @Test
  void anInvalidSdkEndpointIsRefusedByItsNameBeforeTheServerStarts() {
    String message =
        assertThrows(
                InvalidOptionsException.class,
                () ->
                    resolve(
                        S3CaptureOptions.builder(),
                        Map.of("AWS_ENDPOINT_URL", "http://key:s3/cr3t@minio:9000")))
            .getMessage();
    assertEquals(
        "AWS_ENDPOINT_URL must not contain credentials: set AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, instead",
        message);
    assertFalse(message.contains("cr3t"), message);
    message =
        assertThrows(
                InvalidOptionsException.class,
                () -> resolve(S3CaptureOptions.builder(), Map.of("AWS_ENDPOINT_URL_S3", "minio")))
            .getMessage();
    assertEquals(
        "AWS_ENDPOINT_URL_S3 must be an http:// or https:// URL with a host, e.g."
            + " http://minio:9000",
        message);
  }

  @Test
  void anSdkEndpointIsNotReadWhenTheFlagGivesOneOrCaptureIsNotToS3() {
    Map<String, String> invalid = Map.of("AWS_ENDPOINT_URL", "minio");
    CaptureTarget target =
        resolve(S3CaptureOptions.builder().endpoint("http://127.0.0.1:9000"), invalid);
    assertEquals(URI.create("http://127.0.0.1:9000"), target.s3().endpoint());
    assertNull(CaptureTarget.resolve(null, null, S3CaptureOptions.builder(), invalid::get).s3());
  }
}
