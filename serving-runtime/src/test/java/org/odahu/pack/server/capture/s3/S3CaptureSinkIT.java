package org.odahu.pack.server.capture.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.server.capture.CaptureRecord;
import org.odahu.pack.server.capture.CaptureUnavailableException;
import org.odahu.pack.server.capture.CaptureWriter;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** {@link S3CaptureSink} through the real AWS SDK against a real S3 API server (s3proxy). */
class S3CaptureSinkIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "capture";
  private static final Pattern KEY =
      Pattern.compile(
          "odahu/prod/model_log/(request_response|response_body|feedback)/wine/1\\.0/"
              + "year=(\\d{4})/month=(\\d\\d)/day=(\\d\\d)/(\\d{10})_[0-9a-f]{12}-\\d+\\.json");

  @TempDir java.nio.file.Path temp;
  private S3ProxyServer s3;
  private final List<String> log = new ArrayList<>();
  private final Handler logHandler =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          synchronized (log) {
            log.add(formatter.format(record));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void start() throws Exception {
    s3 = S3ProxyServer.start(temp.resolve("s3"), BUCKET);
    Logger.getLogger("").addHandler(logHandler);
  }

  @AfterEach
  void stop() {
    Logger.getLogger("").removeHandler(logHandler);
    s3.close();
  }

  private CaptureWriter writer(String secretKey, long objectBytes, Duration age, Backoff retry) {
    S3CaptureOptions options =
        new S3CaptureOptions(
            new S3Location(BUCKET, "odahu/prod"),
            s3.endpoint(),
            objectBytes,
            age,
            64L << 20,
            retry,
            Duration.ofSeconds(20));
    AwsBasicCredentials credentials =
        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, secretKey);
    return new CaptureWriter(
        new S3CaptureSink(
            options,
            S3ObjectUploader.create(
                options, StaticCredentialsProvider.create(credentials), name -> null)),
        1000);
  }

  private static CaptureRecord record(String tag, int n, Instant time, String text) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", tag + "-" + n);
    fields.put("tag", tag);
    fields.put("text", text);
    fields.put("payload", Map.of("json", List.of(n, "x")));
    return new CaptureRecord(tag, "wine", "1.0", time, fields);
  }

  @Test
  void recordsLandUnderOdahusKeysAsWholeJsonLinesInObjectsOfBoundedSize() throws Exception {
    CaptureWriter writer =
        writer(S3ProxyServer.SECRET_KEY, 64 << 10, Duration.ofHours(1), Backoff.DEFAULT);
    Instant[] times = {
      Instant.parse("2026-03-04T23:59:59Z"), Instant.parse("2026-03-05T00:00:01Z")
    };
    String[] texts = {
      "plain", "two\nlines \"quoted\"", "unicode é 😀 ✓", "big " + "y".repeat(100_000)
    };
    Set<JsonNode> expected = new HashSet<>();
    int n = 0;
    for (String tag : List.of("request_response", "response_body", "feedback")) {
      for (int i = 0; i < 40; i++) {
        CaptureRecord record = record(tag, n++, times[i % 2], texts[i % texts.length]);
        expected.add(JSON.readTree(record.toJsonLine()));
        if (tag.equals("feedback")) {
          writer.store(record).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } else {
          assertTrue(writer.offer(record));
        }
      }
    }
    writer.close();
    assertEquals(120, writer.written());
    assertEquals(0, writer.dropped());
    Map<String, String> objects = s3.objects(BUCKET);
    Set<JsonNode> stored = new HashSet<>();
    for (Map.Entry<String, String> object : objects.entrySet()) {
      Matcher key = KEY.matcher(object.getKey());
      assertTrue(key.matches(), object.getKey());
      List<String> lines = object.getValue().lines().toList();
      assertTrue(
          object.getValue().length() <= 64 << 10 || lines.size() == 1,
          "too big: " + object.getKey());
      for (String line : lines) {
        JsonNode record = JSON.readTree(line);
        assertEquals(key.group(1), record.get("tag").asText(), object.getKey());
        String time = record.get("time").asText(); // "yyyy-MM-dd HH:mm:ss +0000"
        assertEquals(
            key.group(2)
                + "-"
                + key.group(3)
                + "-"
                + key.group(4)
                + " "
                + key.group(5).substring(8),
            time.substring(0, 13),
            object.getKey());
        assertTrue(stored.add(record), "stored twice: " + line);
      }
    }
    assertEquals(expected, stored);
    assertTrue(objects.size() > 12, "objects: " + objects.keySet()); // tags x days, split by size
  }

  @Test
  void theSdksEndpointVariablesAreReachedPathStyleAsStoresOtherThanAwsNeed() throws Exception {
    // No --s3-endpoint: the SDK alone would ask capture.127.0.0.1, which does not resolve.
    S3CaptureOptions options =
        new S3CaptureOptions(
            new S3Location(BUCKET, "odahu"),
            null,
            1 << 20,
            Duration.ofSeconds(60),
            64L << 20,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 2),
            Duration.ofSeconds(20));
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
    String endpoint = s3.endpoint().toString();
    for (Map<String, String> environment :
        List.of(
            Map.of("AWS_ENDPOINT_URL", endpoint),
            Map.of("AWS_ENDPOINT_URL_S3", endpoint, "AWS_ENDPOINT_URL", "http://127.0.0.1:1"))) {
      try (S3ObjectUploader uploader =
          S3ObjectUploader.create(options, credentials, environment::get)) {
        String key = "odahu/" + environment.size() + ".json";
        uploader.put(key, "{}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("{}\n", s3.objects(BUCKET).get(key), environment.toString());
      }
    }
    assertEquals(
        null,
        S3ObjectUploader.sdkEndpoint(
            Map.of("AWS_ENDPOINT_URL", endpoint, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
                ::get));
    // Refused as --s3-endpoint is, without repeating the value: the SDK would read it too.
    for (String value :
        List.of(
            "http://user:sEcReT-93@127.0.0.1:9000",
            "http://AKIA:sEcReT/x+y@127.0.0.1:9000",
            "http://AKIA:sEcReT#x@127.0.0.1:9000",
            "minio:9000")) {
      org.odahu.pack.gppi.InvalidOptionsException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              org.odahu.pack.gppi.InvalidOptionsException.class,
              () -> S3ObjectUploader.sdkEndpoint(Map.of("AWS_ENDPOINT_URL_S3", value)::get));
      assertTrue(
          refused
              .getMessage()
              .startsWith(
                  value.contains("@")
                      ? "AWS_ENDPOINT_URL_S3 must not contain credentials"
                      : "AWS_ENDPOINT_URL_S3 must be an http:// or https:// URL"),
          refused.getMessage());
      assertFalse(refused.getMessage().contains("sEcReT"), refused.getMessage());
    }
    assertEquals(Duration.ofSeconds(30), S3ObjectUploader.putTimeout(1000));
    assertEquals(Duration.ofSeconds(542), S3ObjectUploader.putTimeout(512L << 20));
  }

  @Test
  void aWrongSecretIsAClearErrorAndTheRecordsAreDroppedAfterTheRetries() throws Exception {
    String wrongSecret = "WrOnG-sEcReT-value-93kq";
    CaptureWriter writer =
        writer(
            wrongSecret,
            1 << 20,
            Duration.ofMillis(200),
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 3));
    Instant now = Instant.now();
    for (int i = 0; i < 5; i++) {
      writer.offer(record("request_response", i, now, "x"));
    }
    ExecutionException refused =
        assertThrows(
            ExecutionException.class,
            () ->
                writer
                    .store(record("feedback", 5, now, "x"))
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS));
    assertTrue(refused.getCause() instanceof CaptureUnavailableException, refused.toString());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (writer.dropped() < 6 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertEquals(6, writer.dropped());
    assertEquals(0, writer.written());
    writer.close();
    String output;
    synchronized (log) {
      output = String.join("", log);
    }
    assertTrue(
        output.contains("Cannot upload capture records to s3://capture/odahu/prod/model_log/"),
        output);
    assertTrue(output.contains("Status Code: 403"), output);
    assertTrue(
        output.contains("check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        output);
    assertTrue(output.contains("not uploaded after 3 attempt(s)"), output);
    assertFalse(output.contains(wrongSecret), output);
    assertFalse(output.contains(S3ProxyServer.SECRET_KEY), output);
    assertFalse(refused.toString().contains(wrongSecret));
    assertTrue(s3.objects(BUCKET).isEmpty());
  }

  @Test
  void theStartUpLookAtTheBucketSaysWhenTheCredentialsAreRefused() {
    S3CaptureOptions options =
        new S3CaptureOptions(
            new S3Location(BUCKET, "odahu/prod"),
            s3.endpoint(),
            1 << 20,
            Duration.ofSeconds(1),
            1 << 20,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 3),
            Duration.ofSeconds(1));
    String wrongSecret = "WrOnG-sEcReT-value-93kq";
    try (S3ObjectUploader uploader =
        S3ObjectUploader.create(
            options,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, wrongSecret)),
            name -> null)) {
      uploader.warmUp();
    }
    String output;
    synchronized (log) {
      output = String.join("", log);
    }
    assertTrue(
        output.contains(
            "INFO: Capture: bucket capture answered 403 to a look at it: the credentials are"
                + " wrong, or may only put objects"),
        output);
    assertFalse(output.contains(wrongSecret), output);
  }
}
