package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/** Feedback through the real server: only for the served model, acknowledged once stored. */
class FeedbackIT {
  @TempDir Path temp;

  @Test
  void feedbackForAnyOtherModelIsRefusedAndCreatesNothing() throws Exception {
    Path capture = temp.resolve("capture");
    ModelServerIT.serve(
        ModelServerIT.config(Examples.artifact("echo")).captureDir(capture).build(),
        true,
        client -> {
          for (int i = 0; i < 200; i++) {
            HttpResponse<String> refused =
                client.post(
                    "/api/v1/feedback/model/x",
                    "{\"truth\":1}",
                    "request-id",
                    "r" + i,
                    "model-name",
                    i % 2 == 0 ? "other-" + i : "echo",
                    "model-version",
                    i % 2 == 0 ? "1.0" : "v" + i);
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals(
                "{\"error\":\"This server takes feedback for model-name echo and model-version 1.0"
                    + " only, got "
                    + (i % 2 == 0 ? "other-" + i + " and 1.0" : "echo and v" + i)
                    + "\"}",
                refused.body());
          }
          HttpResponse<String> accepted =
              client.post(
                  "/api/v1/feedback/model/echo",
                  "{\"truth\":42}",
                  "request-id",
                  "kept",
                  "model-name",
                  "echo",
                  "model-version",
                  "1.0");
          assertEquals(200, accepted.statusCode(), accepted.body());
          // Acknowledged only once stored: the record is in its file already.
          List<String> stored = lines(capture.resolve("model_log/feedback/echo/1.0"));
          assertEquals(1, stored.size(), stored.toString());
          assertTrue(stored.get(0).startsWith("{\"request_id\":\"kept\""), stored.get(0));
        });
    try (Stream<Path> tree = Files.walk(capture.resolve("model_log"))) {
      assertEquals(
          List.of("model_log", "model_log/feedback", "model_log/feedback/echo"),
          tree.filter(Files::isDirectory)
              .map(d -> capture.relativize(d).toString())
              .filter(d -> !d.startsWith("model_log/feedback/echo/"))
              .sorted()
              .toList());
    }
  }

  private static List<String> lines(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .flatMap(
              file -> {
                try {
                  return Files.readAllLines(file).stream();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
