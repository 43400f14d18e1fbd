package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.BackendTests.answer;
import static org.odahu.pack.gppi.BackendTests.await;
import static org.odahu.pack.gppi.BackendTests.failure;
import static org.odahu.pack.gppi.BackendTests.merging;
import static org.odahu.pack.gppi.BackendTests.occupyTheWorker;
import static org.odahu.pack.gppi.BackendTests.options;
import static org.odahu.pack.gppi.BackendTests.send;
import static org.odahu.pack.gppi.BackendTests.utf8;
import static org.odahu.pack.gppi.BackendTests.with;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;

/**
 * Merging queued requests into one model call, with real CPython workers: answers split back, one
 * request's failure not failing the others, row-count changes detected; and with merging off, every
 * request reaching a stateful model exactly once.
 */
class MergingIT {

  @Test
  void counterCountsPerWorker() throws Exception {
    with(
        Examples.artifact("counter"),
        options().batching(BatchingPolicy.DISABLED).build(),
        backend -> {
          for (int expected = 1; expected <= 3; expected++) {
            assertEquals(
                expected, answer(backend, "{\"data\":[[0]]}").at("/prediction/0/0").asInt());
          }
        });
    with(
        Examples.artifact("counter"),
        options().workers(2).batching(BatchingPolicy.DISABLED).build(),
        backend -> {
          List<CompletionStage<Prediction>> calls = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            calls.add(send(backend, "{\"data\":[[0]]}"));
          }
          int[] seen = new int[21];
          for (CompletionStage<Prediction> call : calls) {
            seen[Integer.parseInt(utf8(await(call).predictionJson()).replaceAll("\\D", ""))]++;
          }
          // Two workers each counting from 1: every count appears at most twice, never more often
          // than the count before it, and together they answered all 20 calls.
          int total = seen[1];
          assertTrue(seen[1] >= 1 && seen[1] <= 2);
          for (int count = 2; count <= 20; count++) {
            assertTrue(seen[count] <= seen[count - 1], "count " + count + " seen too often");
            total += seen[count];
          }
          assertEquals(20, total);
        });
  }

  @Test
  void withMergingOffAStatefulModelSeesEveryConcurrentRequestExactlyOnce() throws Exception {
    // ODAHU's counter under 16 concurrent calls: merged, it answers one row for many requests and
    // the retry calls it again, so counts are skipped; unmerged, each request counts once.
    with(
        Examples.artifact("counter"),
        options().batching(BatchingPolicy.DISABLED).build(),
        backend -> {
          CompletionStage<Prediction> first = send(backend, "{\"data\":[[0]]}");
          List<CompletionStage<Prediction>> calls = new ArrayList<>();
          for (int i = 0; i < 16; i++) {
            calls.add(send(backend, "{\"data\":[[0]]}"));
          }
          assertEquals("[[1]]", utf8(await(first).predictionJson()));
          List<Integer> counts = new ArrayList<>();
          for (CompletionStage<Prediction> call : calls) {
            counts.add(Integer.parseInt(utf8(await(call).predictionJson()).replaceAll("\\D", "")));
          }
          assertEquals(IntStream.rangeClosed(2, 17).boxed().toList(), counts);
        });
  }

  @Test
  void mergesQueuedRequestsAndSplitsTheAnswersBack() throws Exception {
    int[] calls = {0};
    BackendListener counting =
        new BackendListener() {
          @Override
          public synchronized void onModelCall(int requests, int rows, long callNanos) {
            calls[0]++;
          }
        };
    with(
        Examples.testModel("unruly"),
        options().batching(merging()).listener(counting).build(),
        backend -> {
          CompletionStage<Prediction> blocker = occupyTheWorker(backend, 0.5);
          List<CompletionStage<Prediction>> queued = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            queued.add(send(backend, "{\"data\":[[\"row\"," + i + "],[\"second\"," + i + "]]}"));
          }
          await(blocker);
          for (int i = 0; i < 10; i++) {
            Prediction p = await(queued.get(i));
            assertEquals("[[\"row\"," + i + "],[\"second\"," + i + "]]", utf8(p.predictionJson()));
            assertEquals(10, p.timings().batchRequests());
            assertEquals(20, p.timings().batchRows());
          }
          assertEquals(2, calls[0]);
          assertTrue(backend.stats().batching());
        });
  }

  @Test
  void oneBadRequestDoesNotFailTheRequestsItWasMergedWith() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().batching(merging()).build(),
        backend -> {
          CompletionStage<Prediction> blocker = occupyTheWorker(backend, 0.5);
          CompletionStage<Prediction> bad = send(backend, "{\"data\":[[\"raise\",\"me\"]]}");
          List<CompletionStage<Prediction>> good = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            good.add(send(backend, "{\"data\":[[\"ok\"," + i + "]]}"));
          }
          await(blocker);
          assertEquals("unruly refuses 'me'", failure(bad).getMessage());
          for (int i = 0; i < 5; i++) {
            assertEquals("[[\"ok\"," + i + "]]", utf8(await(good.get(i)).predictionJson()));
          }
        });
  }

  @Test
  void modelThatChangesTheRowCountIsMarkedUnbatchable() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().batching(merging()).build(),
        backend -> {
          CompletionStage<Prediction> blocker = occupyTheWorker(backend, 0.5);
          List<CompletionStage<Prediction>> queued = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            queued.add(send(backend, "{\"data\":[[\"scalar\"," + i + "]]}"));
          }
          await(blocker);
          for (CompletionStage<Prediction> call : queued) {
            assertEquals("2.5", utf8(await(call).predictionJson()));
            assertEquals(1, await(call).timings().batchRequests());
          }
          assertFalse(backend.stats().batching());
        });
  }

  /** Queues {@code bodies} behind a busy worker; their answers once it is free, in order. */
  private static List<String> mergedAnswers(ModelBackend backend, List<String> bodies) {
    CompletionStage<Prediction> blocker = occupyTheWorker(backend, 0.5);
    List<CompletionStage<Prediction>> queued = new ArrayList<>();
    bodies.forEach(body -> queued.add(send(backend, body)));
    await(blocker);
    List<String> answers = new ArrayList<>();
    queued.forEach(call -> answers.add(utf8(await(call).predictionJson())));
    return answers;
  }

  @Test
  void pandasAnswersAreSplitByPositionNotByTheirIndex() throws Exception {
    // A float index: slicing [0:1] is by label, which gave the first client every row and the
    // others none (sorted), or raised and cost a second call per request (unsorted).
    for (List<String> keys : List.of(List.of("0.1", "0.2", "0.3"), List.of("0.3", "0.1", "0.2"))) {
      with(
          Examples.testModel("unruly"),
          options().batching(merging()).build(),
          backend -> {
            CompletionStage<Prediction> blocker = occupyTheWorker(backend, 0.5);
            List<CompletionStage<Prediction>> queued = new ArrayList<>();
            keys.forEach(
                key -> queued.add(send(backend, "{\"data\":[[\"floatindex\"," + key + "]]}")));
            await(blocker);
            for (int i = 0; i < keys.size(); i++) {
              Prediction answer = await(queued.get(i));
              double doubled = 2 * Double.parseDouble(keys.get(i));
              assertEquals("[[" + doubled + "]]", utf8(answer.predictionJson()));
              assertEquals(3, answer.timings().batchRequests(), "answered by the merged call");
            }
            assertTrue(backend.stats().batching(), "a frame splits by position: merging stays on");
          });
    }
  }

  @Test
  void anAnswerThatHasNoRowsToSplitTurnsMergingOff() throws Exception {
    // 'ok' has as many characters as two merged requests have rows: sliced, one got "o".
    with(
        Examples.testModel("unruly"),
        options().batching(merging()).build(),
        backend -> {
          assertEquals(
              List.of("\"ok\"", "\"ok\""),
              mergedAnswers(
                  backend, List.of("{\"data\":[[\"string\",1]]}", "{\"data\":[[\"string\",2]]}")));
          assertFalse(backend.stats().batching());
        });
  }

  @Test
  void mergedCallsThatRaiseWhileTheirRequestsSucceedAloneTurnMergingOff() throws Exception {
    // A model that takes one row at a time: each merged call raised and cost a second call per
    // request, for as long as the server ran.
    with(
        Examples.testModel("unruly"),
        options().batching(merging()).build(),
        backend -> {
          for (int round = 1; round <= 3; round++) {
            assertEquals(
                List.of("[[1.0]]", "[[2.0]]"),
                mergedAnswers(
                    backend, List.of("{\"data\":[[\"solo\",1]]}", "{\"data\":[[\"solo\",2]]}")));
            assertEquals(round < 3, backend.stats().batching(), "after round " + round);
          }
        });
    // A bad request among them is not the merge's fault: merging stays on.
    with(
        Examples.testModel("unruly"),
        options().batching(merging()).build(),
        backend -> {
          for (int round = 1; round <= 3; round++) {
            CompletionStage<Prediction> blocker = occupyTheWorker(backend, 0.5);
            CompletionStage<Prediction> good = send(backend, "{\"data\":[[\"solo\",1]]}");
            CompletionStage<Prediction> bad = send(backend, "{\"data\":[[\"raise\",2]]}");
            await(blocker);
            assertEquals("[[1.0]]", utf8(await(good).predictionJson()));
            assertTrue(failure(bad) instanceof ModelPredictionException, "the bad request fails");
          }
          assertTrue(backend.stats().batching());
        });
  }

  @Test
  void aRequestAloneAnsweredWithOtherRowsTurnsMergingOff() throws Exception {
    // Column-major: two rows for one, and two merged one-row requests would get two rows of two
    // values each, one client's value in the other's answer.
    with(
        Examples.testModel("unruly"),
        options().batching(merging()).build(),
        backend -> {
          assertEquals(
              "[[10.0],[100.0]]",
              utf8(await(send(backend, "{\"data\":[[\"columns\",1]]}")).predictionJson()));
          assertFalse(backend.stats().batching());
          assertEquals(
              List.of("[[10.0],[100.0]]", "[[20.0],[200.0]]"),
              mergedAnswers(
                  backend,
                  List.of("{\"data\":[[\"columns\",1]]}", "{\"data\":[[\"columns\",2]]}")));
        });
  }

  @Test
  void requestsMergeOnlyWithRequestsWhoseColumnsHoldTheSameKinds() throws Exception {
    // pandas types a column by all its values: merged with 1.5, the ids would become floats.
    with(
        Examples.testModel("unruly"),
        options().batching(merging()).build(),
        backend -> {
          assertEquals(
              List.of("[[9007199254740993]]", "[[1.5]]", "[[3]]"),
              mergedAnswers(
                  backend,
                  List.of(
                      "{\"data\":[[\"frame\",9007199254740993]]}",
                      "{\"data\":[[\"frame\",1.5]]}",
                      "{\"data\":[[\"frame\",3]]}")));
        });
  }
}
