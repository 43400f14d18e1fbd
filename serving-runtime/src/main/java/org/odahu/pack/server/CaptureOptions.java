package org.odahu.pack.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import org.odahu.pack.commandline.Converters;
import org.odahu.pack.server.capture.s3.S3CaptureOptions;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s capture options: where request/response and feedback records go (a directory or
 * S3-compatible storage), how they are batched, and which headers they never hold.
 */
public final class CaptureOptions {
  @Option(
      names = "--capture-dir",
      defaultValue = "${env:ODAHU_CAPTURE_DIR}",
      description =
          "Write request/response and feedback records here, in ODAHU's model_log layout (default: off; env ODAHU_CAPTURE_DIR).")
  Path captureDir;

  @Option(
      names = "--capture-url",
      defaultValue = "${env:ODAHU_CAPTURE_URL}",
      paramLabel = "URL",
      description =
          "Upload capture records to s3://BUCKET/PREFIX (or write them to file:///DIR, as"
              + " --capture-dir); credentials and region from the AWS SDK (AWS_ACCESS_KEY_ID,"
              + " AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_PROFILE...) (env ODAHU_CAPTURE_URL).")
  String captureUrl;

  @Option(
      names = "--s3-endpoint",
      defaultValue = "${env:ODAHU_S3_ENDPOINT}",
      paramLabel = "URL",
      description =
          "S3-compatible store (MinIO, Ceph...) for --capture-url s3://, reached path-style"
              + " (default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, else AWS; env"
              + " ODAHU_S3_ENDPOINT).")
  String s3Endpoint;

  @Option(
      names = "--capture-object-size",
      converter = Converters.Bytes.class,
      defaultValue =
          "${env:ODAHU_CAPTURE_OBJECT_SIZE:-" + S3CaptureOptions.DEFAULT_OBJECT_BYTES + "}",
      paramLabel = "BYTES",
      description =
          "Upload an S3 capture object once it holds this much (default ${DEFAULT-VALUE}; env ODAHU_CAPTURE_OBJECT_SIZE).")
  long captureObjectBytes;

  @Option(
      names = "--capture-object-age",
      converter = Converters.PositiveSeconds.class,
      defaultValue =
          "${env:ODAHU_CAPTURE_OBJECT_AGE:-" + S3CaptureOptions.DEFAULT_OBJECT_AGE_SECONDS + "}",
      paramLabel = "SECONDS",
      description =
          "Upload an S3 capture object once its first record is this old; feedback is uploaded at"
              + " once (default ${DEFAULT-VALUE}; env ODAHU_CAPTURE_OBJECT_AGE).")
  long captureObjectAgeSeconds;

  @Option(
      names = "--capture-buffer-size",
      converter = Converters.Bytes.class,
      defaultValue =
          "${env:ODAHU_CAPTURE_BUFFER_SIZE:-" + S3CaptureOptions.DEFAULT_BUFFER_BYTES + "}",
      paramLabel = "BYTES",
      description =
          "Capture records held for S3 upload and its retries; beyond it new ones are dropped"
              + " and counted (default ${DEFAULT-VALUE}; env ODAHU_CAPTURE_BUFFER_SIZE).")
  long captureBufferBytes;

  @Option(
      names = "--capture-queue-size",
      converter = Converters.AtLeastOne.class,
      defaultValue = "" + ServerConfig.DEFAULT_CAPTURE_QUEUE_CAPACITY,
      description =
          "Capture records that may wait for the disk before new ones are dropped (default ${DEFAULT-VALUE}).")
  int captureQueueSize;

  @Option(
      names = "--prohibited-headers",
      split = ",",
      defaultValue = ServerConfig.DEFAULT_PROHIBITED_HEADER_LIST,
      description = "Headers never stored in capture records (default ${DEFAULT-VALUE}).")
  List<String> prohibitedHeaders;

  /** Sets these options on {@code builder}. */
  void applyTo(ServerConfigBuilder builder) {
    // An empty variable (a chart's `value: ""`) means unset, as for every ODAHU_* variable: an
    // empty directory would have turned capture on into the working directory.
    builder
        .captureDir(captureDir == null || captureDir.toString().isBlank() ? null : captureDir)
        .captureQueueCapacity(captureQueueSize)
        .captureUrl(captureUrl == null || captureUrl.isBlank() ? null : captureUrl)
        .s3Endpoint(s3Endpoint == null || s3Endpoint.isBlank() ? null : s3Endpoint)
        .s3Capture(
            captureObjectBytes, Duration.ofSeconds(captureObjectAgeSeconds), captureBufferBytes)
        .prohibitedHeaders(new LinkedHashSet<>(prohibitedHeaders));
  }
}
