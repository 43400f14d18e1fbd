package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.server.ModelServerIT.Client;

/**
 * A client that goes away before its answer (its own timeout, a cancelled call) takes its queued
 * prediction with it: the model's time goes to requests someone still waits for. Real sockets, a
 * real CPython worker.
 */
class HungUpClientsIT {
  private static final String INVOKE_HEAD =
      "POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
          + "Content-Length: ";

  @Test
  void aQueuedPredictionWhoseClientHungUpIsNeverComputed() throws Exception {
    ModelServer server =
        ModelServerIT.start(
            ModelServerIT.config(Examples.testModel("unruly"))
                .workers(1)
                .batching(BatchingPolicy.DISABLED)
                .build());
    try {
      server.backend().start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      Client client = new Client(server.port());
      int before = calls(client);

      // The one worker is busy for 1.5 s; two more requests queue behind it, and one's client
      // hangs up meanwhile.
      CompletableFuture<HttpResponse<String>> busy =
          CompletableFuture.supplyAsync(() -> client.invoke("{\"data\": [[\"sleep\", 1.5]]}"));
      Thread.sleep(300);
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        String body = "{\"data\": [[\"echo\"]]}";
        socket
            .getOutputStream()
            .write(
                (INVOKE_HEAD + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(300);
        assertFalse(busy.isDone());
      }
      assertEquals(200, busy.get(30, TimeUnit.SECONDS).statusCode());

      // Its call was dropped: the model counts the sleep, then this one.
      assertEquals(before + 2, calls(client));
      String metrics = client.get("/metrics").body();
      assertTrue(
          metrics.contains(
              "odahu_http_requests_total{method=\"POST\",route=\"/api/model/invoke\","
                  + "status=\"499\"} 1.0"),
          metrics);
    } finally {
      server.shutdown();
    }
  }

  private static int calls(Client client) {
    HttpResponse<String> response = client.invoke("{\"data\": [[\"calls\"]]}");
    assertEquals(200, response.statusCode(), response.body());
    return ModelServerIT.read(response.body()).get("prediction").get(0).asInt();
  }
}
