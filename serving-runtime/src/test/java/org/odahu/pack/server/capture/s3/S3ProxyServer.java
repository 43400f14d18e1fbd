package org.odahu.pack.server.capture.s3;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API server for tests: s3proxy over jclouds' filesystem provider on 127.0.0.1, with
 * SigV4 authentication. It can be stopped and started again on the same port and directory, and
 * reads objects back through the AWS SDK.
 */
final class S3ProxyServer implements AutoCloseable {
  static final String ACCESS_KEY = "odahu-test-access-key";

  /** Distinctive, so that a test can look for it in every output. */
  static final String SECRET_KEY = "Zq9sEcReT-never-in-any-output-41x7";

  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Path directory;
  private final int port;
  private BlobStoreContext context;
  private S3Proxy proxy;

  private S3ProxyServer(Path directory, int port) {
    this.directory = directory;
    this.port = port;
  }

  /** Starts a server keeping its buckets under {@code directory}, with {@code bucket} created. */
  static S3ProxyServer start(Path directory, String bucket) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Files.createDirectories(directory.resolve(bucket));
    S3ProxyServer server = new S3ProxyServer(directory, port);
    server.start();
    return server;
  }

  /** Starts it again after {@link #stop}, on the same port and directory. */
  void start() throws Exception {
    Properties properties = new Properties();
    properties.setProperty(FilesystemConstants.PROPERTY_BASEDIR, directory.toString());
    context =
        ContextBuilder.newBuilder("filesystem")
            .credentials("identity", "credential")
            .overrides(properties)
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(endpoint())
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }

  /** Stops answering: connections are refused until {@link #start} again. */
  void stop() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not stop", e);
    }
    context.close();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A client with the right credentials, for reading back. */
  S3Client client() {
    return client(SECRET_KEY);
  }

  /** A client signing with {@code secretKey}. */
  S3Client client(String secretKey) {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secretKey)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        // s3proxy answers 501 to the checksum-mode header newer SDKs send by default.
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .build();
  }

  /** Every object in {@code bucket}, key to content, read through the SDK. */
  Map<String, String> objects(String bucket) {
    Map<String, String> objects = new LinkedHashMap<>();
    try (S3Client client = client()) {
      for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
        if (object.key().endsWith("/")) {
          continue; // the filesystem provider lists its directories too
        }
        objects.put(
            object.key(),
            client
                .getObjectAsBytes(b -> b.bucket(bucket).key(object.key()))
                .asString(StandardCharsets.UTF_8));
      }
    }
    return objects;
  }

  /**
   * Every line of every object of {@code bucket} whose key starts with {@code prefix}, parsed: each
   * line must be exactly one JSON object, and each object must end with a line break.
   */
  List<JsonNode> records(String bucket, String prefix) {
    List<JsonNode> records = new ArrayList<>();
    objects(bucket)
        .forEach(
            (key, content) -> {
              if (key.startsWith(prefix)) {
                if (!content.endsWith("\n")) {
                  throw new AssertionError("not whole lines: " + key);
                }
                content.lines().forEach(line -> records.add(parse(key, line)));
              }
            });
    return records;
  }

  private static JsonNode parse(String key, String line) {
    try {
      JsonNode record = STRICT.readTree(line);
      if (!record.isObject()) {
        throw new AssertionError(key + ": not a JSON object: " + line);
      }
      return record;
    } catch (IOException e) {
      throw new UncheckedIOException(key + ": not one JSON record: " + line, e);
    }
  }

  @Override
  public void close() {
    if (proxy != null && "STARTED".equals(proxy.getState())) {
      stop();
    }
  }
}
