package org.odahu.pack.server.capture.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.server.ServeCommand;
import org.odahu.pack.server.ServerConfig;
import picocli.CommandLine;

/** {@code serve}'s capture-to-S3 flags, parsed without running. */
class S3CaptureOptionsTest {
  @BeforeEach
  void noCaptureEnvironment() {
    assumeTrue(
        System.getenv().keySet().stream()
            .noneMatch(k -> k.startsWith("ODAHU_CAPTURE") || k.equals("ODAHU_S3_ENDPOINT")),
        "ODAHU_CAPTURE_* variables are set");
  }

  private static ServerConfig parse(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "m.zip";
    System.arraycopy(args, 0, all, 1, args.length);
    return CommandLine.populateCommand(new ServeCommand(), all).config();
  }

  private static String problems(String... args) {
    return assertThrows(InvalidOptionsException.class, () -> parse(args)).getMessage();
  }

  @Test
  void anS3UrlIsABucketAndAPrefixWithTheDefaultBounds() {
    S3CaptureOptions s3 = parse("--capture-url", "s3://capture/odahu/logs/").s3Capture();
    assertEquals(new S3Location("capture", "odahu/logs"), s3.location());
    assertNull(s3.endpoint());
    assertEquals(S3CaptureOptions.DEFAULT_OBJECT_BYTES, s3.objectBytes());
    assertEquals(Duration.ofSeconds(60), s3.objectAge());
    assertEquals(S3CaptureOptions.DEFAULT_BUFFER_BYTES, s3.bufferBytes());
    assertEquals("odahu/logs/model_log/x", s3.location().key("model_log/x"));
    assertEquals("model_log/x", new S3Location("capture", "/").key("model_log/x"));
  }

  @Test
  void theEndpointAndBoundsAreSetByTheirFlags() {
    ServerConfig config =
        parse(
            "--capture-url=s3://capture",
            "--s3-endpoint=http://127.0.0.1:9000",
            "--capture-object-size=1000",
            "--capture-object-age=5",
            "--capture-buffer-size=5000");
    S3CaptureOptions s3 = config.s3Capture();
    assertEquals(URI.create("http://127.0.0.1:9000"), s3.endpoint());
    assertEquals(1000, s3.objectBytes());
    assertEquals(Duration.ofSeconds(5), s3.objectAge());
    assertEquals(5000, s3.bufferBytes());
    assertNull(config.captureDir());
  }

  @Test
  void aFileUrlIsACaptureDirectory() {
    ServerConfig config = parse("--capture-url", "file:///var/capture");
    assertEquals(Path.of("/var/capture"), config.captureDir());
    assertNull(config.s3Capture());
    assertNull(parse("--capture-dir", "/x").s3Capture());
  }

  @Test
  void credentialsInAUrlAreRefusedWithoutBeingRepeated() {
    String message = problems("--capture-url", "s3://AKIDEXAMPLE:s3cr3tK3y@capture/odahu");
    assertTrue(message.contains("--capture-url must not contain credentials"), message);
    assertFalse(message.contains("s3cr3tK3y"), message);
    message =
        problems(
            "--capture-url", "s3://capture", "--s3-endpoint", "http://minio:s3cr3tK3y@minio:9000");
    assertTrue(message.contains("--s3-endpoint must not contain credentials"), message);
    assertFalse(message.contains("s3cr3tK3y"), message);
  }

  @Test
  void anObjectMustFitInOneArrayInMemory() {
    String message =
        problems(
            "--capture-url=s3://capture",
            "--capture-object-size=3000000000",
            "--capture-buffer-size=4000000000");
    assertTrue(
        message.contains("--capture-object-size must be between 1 and 536870912 bytes"), message);
  }

  @Test
  void everyMistakeIsNamedByItsFlagAtOnce() {
    String message =
        problems(
            "--capture-url=s3://capture",
            "--s3-endpoint=ftp://minio",
            "--capture-object-size=0",
            "--capture-buffer-size=-1");
    assertTrue(message.contains("--s3-endpoint must be an http:// or https:// URL"), message);
    assertTrue(message.contains("--capture-object-size must be between 1 and"), message);
    assertTrue(message.contains("--capture-buffer-size must be at least"), message);
  }

  @Test
  void aUrlOfAnotherKindOrBesideADirectoryIsRefused() {
    assertTrue(
        problems("--capture-url", "gs://bucket/x")
            .contains("--capture-url must be s3://BUCKET/PREFIX or file:///DIRECTORY"));
    assertTrue(
        problems("--capture-url", "s3:///no-bucket").contains("--capture-url needs a bucket name"));
    assertTrue(
        problems("--capture-url", "s3://b/p").contains("--capture-url names no valid bucket"));
    assertTrue(
        problems("--capture-dir", "/x", "--capture-url", "s3://capture")
            .contains("--capture-url cannot be used with --capture-dir"));
    assertTrue(
        problems("--s3-endpoint", "http://minio:9000")
            .contains("--s3-endpoint needs --capture-url s3://BUCKET/PREFIX"));
  }
}
