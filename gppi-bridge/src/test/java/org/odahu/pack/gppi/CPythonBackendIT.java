package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.BackendTests.answer;
import static org.odahu.pack.gppi.BackendTests.await;
import static org.odahu.pack.gppi.BackendTests.awaitReady;
import static org.odahu.pack.gppi.BackendTests.failure;
import static org.odahu.pack.gppi.BackendTests.occupyTheWorker;
import static org.odahu.pack.gppi.BackendTests.options;
import static org.odahu.pack.gppi.BackendTests.prediction;
import static org.odahu.pack.gppi.BackendTests.send;
import static org.odahu.pack.gppi.BackendTests.utf8;
import static org.odahu.pack.gppi.BackendTests.waitUntil;
import static org.odahu.pack.gppi.BackendTests.with;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/** The CPython backend with real worker processes, real example models and real failures. */
class CPythonBackendIT {
  @TempDir Path temp;

  @Test
  void wineGoldenValueFromEveryArtifactFormat() throws Exception {
    String request = Files.readString(Examples.data("wine-request.json"));
    for (Path artifact :
        List.of(
            Examples.artifact("wine"), Examples.gzipTarball("wine"), Examples.deflateZip("wine"))) {
      with(
          artifact,
          options().build(),
          backend -> {
            JsonNode answer = answer(backend, request);
            assertEquals(Examples.WINE_GOLDEN, answer.get("prediction").get(0).asDouble(), 1e-9);
            assertEquals(1, answer.get("prediction").size());
            assertEquals("[\"quality\"]", answer.get("columns").toString());
            assertTrue(backend.isReady());
          });
    }
  }

  @Test
  void wineInfoAndSelfCheck() throws Exception {
    with(
        Examples.artifact("wine"),
        options().build(),
        backend -> {
          ModelSchema schema = await(backend.info());
          assertEquals(11, schema.input().size());
          assertEquals("fixed acidity", schema.input().get(0).name());
          assertEquals("number", schema.input().get(0).type());
          assertEquals(0, schema.input().get(0).example().asInt());
          assertEquals("quality", schema.output().get(0).name());
          SelfCheckReport report = await(backend.selfCheck());
          assertEquals(new SelfCheckReport(11, 1, 5, List.of("quality")), report);
        });
  }

  @Test
  void simpleModelAnswers42() throws Exception {
    with(
        Examples.gzipTarball("simple"),
        options().build(),
        backend ->
            assertEquals(
                "{\"prediction\":[[42]],\"columns\":[\"result\"]}",
                answer(backend, "{\"columns\":[\"a\",\"b\"],\"data\":[[1,2]]}").toString()));
  }

  @Test
  void theProtocolPipesHoldAMergedRequestWhole() throws Exception {
    with(
        Examples.artifact("simple"),
        options().build(),
        backend -> {
          awaitReady(backend);
          ProcessHandle worker = BackendTests.workerProcesses().getFirst();
          // Python can read a pipe's size (F_GETPIPE_SZ), Java cannot: the worker's interpreter
          // opens each pipe the worker holds through /proc.
          String sizes =
              run(
                  worker.info().command().orElseThrow(),
                  "-c",
                  "import fcntl, os, sys\n"
                      + "fds = '/proc/%s/fd' % sys.argv[1]\n"
                      + "for fd in sorted(os.listdir(fds), key=int):\n"
                      + "    if os.readlink(os.path.join(fds, fd)).startswith('pipe:'):\n"
                      + "        with open(os.path.join(fds, fd), 'rb', buffering=0) as pipe:\n"
                      + "            print(fcntl.fcntl(pipe.fileno(), fcntl.F_GETPIPE_SZ))\n",
                  Long.toString(worker.pid()));
          // Frames in and out at 1 MiB; its stderr, left at the default.
          assertEquals(
              List.of(1 << 20, 1 << 20),
              sizes.lines().map(Integer::parseInt).filter(size -> size > 65536).toList(),
              sizes);
        });
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = utf8(process.getInputStream().readAllBytes());
      assertEquals(0, process.waitFor(), output);
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void modelExceptionKeepsTheWorker() throws Exception {
    with(
        Examples.artifact("fail"),
        options().build(),
        backend -> {
          for (int i = 0; i < 3; i++) {
            Throwable error = failure(send(backend, "{\"data\":[[1]]}"));
            assertInstanceOf(ModelPredictionException.class, error);
            assertEquals("Expected error", error.getMessage());
            assertEquals("Exception", ((ModelPredictionException) error).pythonType());
          }
          assertEquals(0, backend.stats().restarts());
          assertTrue(backend.isReady());
        });
  }

  @Test
  void aHugeExceptionMessageReachesTheCallerCutShortAndAtOnce() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().build(),
        backend -> {
          long start = System.nanoTime();
          Throwable error = failure(send(backend, "{\"data\":[[\"raisebig\",10000000]]}"));
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          ModelPredictionException model = assertInstanceOf(ModelPredictionException.class, error);
          String message = model.getMessage();
          // 64 Ki characters of each, and how many more there were.
          assertTrue(message.startsWith("unruly refuses xxx"), message.substring(0, 100));
          assertTrue(
              message.endsWith("x [... 9934487 characters cut]"),
              message.substring(message.length() - 100));
          assertEquals(65536 + " [... 9934487 characters cut]".length(), message.length());
          String traceback = model.pythonTraceback();
          assertTrue(traceback.startsWith("Traceback (most recent call last):"), traceback);
          assertTrue(traceback.endsWith("xxx the end\n"), traceback);
          assertTrue(traceback.contains("characters cut ...]"), traceback);
          assertTrue(traceback.length() < 65536 + 100, "traceback of " + traceback.length());
          assertTrue(millis < 5_000, "answered after " + millis + " ms");
          assertEquals(0, backend.stats().restarts());
        });
  }

  @Test
  void echoKeepsEveryJsonType() throws Exception {
    with(
        Examples.artifact("echo"),
        options().build(),
        backend -> {
          Prediction prediction =
              await(
                  send(
                      backend,
                      "{\"columns\":[\"i\",\"f\",\"s\",\"n\",\"b\",\"big\",\"e\"],"
                          + "\"data\":[[1,2.5,\"x\\u00e9\",null,true,123456789012345678901234567890,1e300]]}"));
          assertEquals(
              "[[1,2.5,\"x\u00e9\",null,true,123456789012345678901234567890,1e+300]]",
              utf8(prediction.predictionJson()));
          assertEquals(
              "[\"i\",\"f\",\"s\",\"n\",\"b\",\"big\",\"e\"]", utf8(prediction.columnsJson()));
        });
  }

  @Test
  void predictionsOfEveryShapeAndDtype() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().build(),
        backend -> {
          assertEquals("[null,null,null,1.5]", prediction(backend, "nan"));
          assertEquals("[[\"a\",\"b\"],[\"c\",\"d\"]]", prediction(backend, "strings"));
          assertEquals("[[1,2],[3,4]]", prediction(backend, "tuple"));
          assertEquals("[[1.0]]", prediction(backend, "list"));
          assertEquals("[[1],[2]]", prediction(backend, "int32"));
          // float32: widened as tolist() widens it, and for ODAHU's API in its own digits, as
          // ODAHU's orjson wrote it.
          Prediction float32 = await(send(backend, "{\"data\":[[\"float32\",0]]}"));
          assertEquals(
              "[0.10000000149011612,9.999999747378752e-06,3.4028234663852886e+38]",
              utf8(float32.predictionJson()));
          assertEquals("[0.1,1e-05,3.4028235e+38]", utf8(float32.odahuPredictionJson()));
          assertEquals(
              utf8(await(send(backend, "{\"data\":[[\"int32\",0]]}")).predictionJson()),
              utf8(await(send(backend, "{\"data\":[[\"int32\",0]]}")).odahuPredictionJson()));
          assertEquals("[true,false]", prediction(backend, "bool"));
          assertEquals("2.5", prediction(backend, "scalar"));
          ModelSchema schema = await(backend.info());
          assertEquals("echo", schema.input().get(0).example().asText());
          assertEquals(1.5, schema.output().get(0).example().asDouble());
        });
  }

  @Test
  void theGarbageCollectorPausesOnlyForTheModelsImport() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().build(),
        backend -> assertEquals("[false,true,true]", prediction(backend, "gc")));
  }

  @Test
  void modelOutputNeverCorruptsTheProtocol() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().build(),
        backend -> {
          for (int i = 0; i < 5; i++) {
            assertEquals("[[\"print\",0]]", prediction(backend, "print"));
          }
          assertEquals(0, backend.stats().restarts());
        });
  }

  @Test
  void workerDeathsFailOnlyTheirCallAndTheWorkerIsReplaced() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().workers(2).build(),
        backend -> {
          String[][] deaths = {
            {"exit", "exit code 3"}, {"kill", "signal 9"}, {"segv", "signal 11"}
          };
          for (String[] death : deaths) {
            List<CompletionStage<Prediction>> others = new ArrayList<>();
            CompletionStage<Prediction> dying =
                send(backend, "{\"data\":[[\"" + death[0] + "\",0]]}");
            for (int i = 0; i < 20; i++) {
              others.add(send(backend, "{\"data\":[[\"ok\"," + i + "]]}"));
            }
            Throwable error = failure(dying);
            assertInstanceOf(WorkerCrashedException.class, error);
            assertTrue(error.getMessage().contains(death[1]), error.getMessage());
            for (int i = 0; i < others.size(); i++) {
              assertEquals("[[\"ok\"," + i + "]]", utf8(await(others.get(i)).predictionJson()));
            }
          }
          // A merged batch that died is retried request by request, so the culprit may kill twice.
          assertTrue(backend.stats().restarts() >= 3, "restarts: " + backend.stats().restarts());
          awaitReady(backend);
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
        });
  }

  @Test
  void aLoneSurrogateInAnAnswerOrInAModelErrorIsEscapedNotFatal() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().build(),
        backend -> {
          // No UTF-8 form: JSON's escape, as the client wrote it.
          assertEquals(
              "[[\"ok\",\"\\ud800\"]]",
              utf8(await(send(backend, "{\"data\":[[\"ok\",\"\\ud800\"]]}")).predictionJson()));
          Throwable error = failure(send(backend, "{\"data\":[[\"raisestr\",\"\\ud800\"]]}"));
          assertInstanceOf(ModelPredictionException.class, error);
          assertEquals("unruly refuses " + (char) 0xD800, error.getMessage());
          assertEquals(0, backend.stats().restarts());
        });
  }

  @Test
  void callExceedingTheTimeoutKillsAndReplacesTheWorker() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().timeout(Duration.ofSeconds(1)).build(),
        backend -> {
          long start = System.nanoTime();
          Throwable error = failure(send(backend, "{\"data\":[[\"sleep\",30]]}"));
          assertInstanceOf(PredictionTimeoutException.class, error);
          assertTrue(
              error.getMessage().startsWith("Prediction timed out after 1 s"), error.getMessage());
          assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
          waitUntil(() -> backend.stats().restarts() == 1);
          awaitReady(backend);
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
        });
  }

  @Test
  void fullQueueRefusesAtOnce() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().queueCapacity(2).batching(BatchingPolicy.DISABLED).build(),
        backend -> {
          CompletionStage<Prediction> busy = occupyTheWorker(backend, 1);
          CompletionStage<Prediction> first = send(backend, "{\"data\":[[\"ok\",1]]}");
          CompletionStage<Prediction> second = send(backend, "{\"data\":[[\"ok\",2]]}");
          Throwable refused = failure(send(backend, "{\"data\":[[\"ok\",3]]}"));
          assertInstanceOf(QueueFullException.class, refused);
          await(busy);
          assertEquals("[[\"ok\",1]]", utf8(await(first).predictionJson()));
          assertEquals("[[\"ok\",2]]", utf8(await(second).predictionJson()));
        });
  }

  @Test
  void framesOverTheLimitAreRefusedCleanly() throws Exception {
    with(
        Examples.testModel("unruly"),
        options().maxFrameBytes(4096).build(),
        backend -> {
          Throwable big = failure(send(backend, "{\"data\":[[\"big\",10000]]}"));
          // Not the model's exception: the limit's, with both sizes.
          AnswerTooLargeException tooLarge = assertInstanceOf(AnswerTooLargeException.class, big);
          assertEquals(4096, tooLarge.maxFrameBytes());
          assertTrue(tooLarge.answerBytes() > 10000, big.getMessage());
          assertTrue(
              big.getMessage().endsWith("bytes, more than the 4096 bytes a worker may send"),
              big.getMessage());
          Throwable request = failure(send(backend, "{\"data\":[[\"" + "y".repeat(5000) + "\"]]}"));
          assertInstanceOf(InvalidInputException.class, request);
          assertEquals(0, backend.stats().restarts());
          assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
        });
  }

  @Test
  void condaStyleInterpreterPathWorksTheSame() throws Exception {
    // A conda environment's python is just another interpreter path: use one through a symlink.
    Path env = Files.createDirectories(temp.resolve("envs/odahu_model/bin"));
    Path python = Files.createSymbolicLink(env.resolve("python"), Examples.python());
    with(
        Examples.artifact("simple"),
        options().python(python).build(),
        backend ->
            assertEquals(
                "[[42]]", utf8(await(send(backend, "{\"data\":[[1]]}")).predictionJson())));
  }
}
