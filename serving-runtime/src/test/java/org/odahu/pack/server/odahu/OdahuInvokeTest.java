package org.odahu.pack.server.odahu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Response;

/** ODAHU's invoke route through the server's pipeline, with an echoing in-memory backend. */
class OdahuInvokeTest {
  private final EmbeddedServer server = EmbeddedServer.around(new InMemoryBackend());
  private final EmbeddedChannel channel = server.channel();

  @AfterEach
  void noLeaksAndNothingLeft() {
    assertFalse(channel.finishAndReleaseAll());
    assertEquals(0, server.state().inFlight());
  }

  private Response one(String raw) {
    List<Response> responses = RawHttp.exchange(channel, raw);
    assertEquals(1, responses.size(), responses.toString());
    return responses.get(0);
  }

  /** ODAHU handed these to the model (pandas decided): so does this server, unchanged. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"data\": [[1, 2], [3]]} | [[1, 2], [3]]",
        "{\"columns\": [\"a\"], \"data\": [[1, 2]]} | [[1, 2]]",
        "{\"columns\": \"Destiny line\", \"data\": [[1, 2, 3, 4]]} | [[1, 2, 3, 4]]",
        "{\"data\": [1, 2, 3]} | [1, 2, 3]",
        "{\"data\": \"text\"} | \"text\"",
        "{\"data\": {\"a\": [1]}} | {\"a\": [1]}",
      })
  void whatOdahuPassedToTheModelReachesIt(String body, String echoed) {
    Response response = one(RawHttp.post("/api/model/invoke", body));
    assertEquals(200, response.status(), response.body());
    assertEquals("{\"prediction\":" + echoed + ",\"columns\":[\"echo\"]}", response.body());
  }
}
