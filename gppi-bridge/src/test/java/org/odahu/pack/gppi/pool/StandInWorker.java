package org.odahu.pack.gppi.pool;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.Worker;
import org.odahu.pack.gppi.runtime.WorkerDiedException;

/**
 * A worker without Python: each call is recorded and answered by a {@link Behaviour} chosen by the
 * test, e.g. at once, or only when the test answers it. Killing it ends a call in progress.
 */
final class StandInWorker implements Worker {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the worker answers a call. */
  interface Behaviour {
    Reply answer(Call call) throws WorkerDiedException;
  }

  /** Echoes each request's rows back as its prediction, at once; answers control calls too. */
  static final Behaviour ECHO = Call::echo;

  /** Waits until the test answers the call ({@link Call#answer}) or the worker is killed. */
  static final Behaviour WAIT = Call::awaitAnswer;

  /** One call the worker received. */
  final class Call {
    final int type;
    final byte[] payload;
    private final CompletableFuture<Reply> answer = new CompletableFuture<>();

    Call(int type, byte[] payload) {
      this.type = type;
      this.payload = payload;
    }

    StandInWorker worker() {
      return StandInWorker.this;
    }

    /** The request's rows, one JSON array per request it carries. */
    List<String> requests() {
      JsonNode request = tree(payload);
      List<String> parts = new ArrayList<>();
      JsonNode splits = request.path("splits");
      int row = 0;
      for (int part = 0; part < Math.max(1, splits.size()); part++) {
        int size = splits.isMissingNode() ? request.get("data").size() : splits.get(part).asInt();
        ArrayNode rows = JSON.createArrayNode();
        for (int i = 0; i < size; i++) {
          rows.add(request.get("data").get(row++));
        }
        parts.add(rows.toString());
      }
      return parts;
    }

    /** The first value of the first row: the command of the stand-in models. */
    String command() {
      return tree(payload).at("/data/0/0").asText();
    }

    Reply echo() {
      return switch (type) {
        case Frames.PREDICT -> result(requests());
        case Frames.PING -> new Reply(Frames.PONG, new byte[0]);
        case Frames.INFO ->
            new Reply(
                Frames.INFO_RESULT,
                utf8("{\"input\":[{\"name\":\"x\",\"type\":\"number\"}],\"output\":[]}"));
        case Frames.SELF_CHECK ->
            new Reply(Frames.SELF_CHECK_RESULT, utf8("{\"info\":{\"input\":1,\"output\":0}}"));
        default -> new Reply(Frames.PROTOCOL_ERROR, utf8("{}"));
      };
    }

    void answer(Reply reply) {
      answer.complete(reply);
    }

    Reply awaitAnswer() throws WorkerDiedException {
      try {
        CompletableFuture.anyOf(answer, exited).get();
      } catch (InterruptedException | ExecutionException e) {
        throw new WorkerDiedException("interrupted", e);
      }
      if (!answer.isDone()) {
        throw new WorkerDiedException(exited.getNow("gone"));
      }
      return answer.join();
    }
  }

  private final String name;
  private final Behaviour behaviour;
  private final CompletableFuture<String> exited = new CompletableFuture<>();
  private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  private final List<Call> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger kills = new AtomicInteger();
  private volatile boolean slowToDie;

  StandInWorker(String name, Behaviour behaviour) {
    this.name = name;
    this.behaviour = behaviour;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Reply call(int type, byte[] payload) throws WorkerDiedException {
    return call(type, payload, () -> {});
  }

  /** As a worker process: the call is received before {@code whileWaiting} runs. */
  @Override
  public Reply call(int type, byte[] payload, Runnable whileWaiting) throws WorkerDiedException {
    if (exited.isDone()) {
      throw new WorkerDiedException(exited.getNow(""));
    }
    if (vanished != null) {
      throw WorkerDiedException.undelivered(vanished);
    }
    Call call = new Call(type, payload);
    received.add(call);
    calls.add(call);
    whileWaiting.run();
    return behaviour.answer(call);
  }

  /** The next call it received, waiting for it. */
  Call nextCall() throws InterruptedException {
    Call call = calls.poll(10, TimeUnit.SECONDS);
    assertNotNull(call, name + " received no call");
    return call;
  }

  /** Every call it received, oldest first. */
  List<Call> received() {
    return List.copyOf(received);
  }

  private volatile String vanished;

  /**
   * Ends the worker as a process whose exit is not noticed yet: the next call finds its pipe
   * refusing the request ({@code how} is its exit description).
   */
  void vanish(String how) {
    vanished = how;
  }

  /** Ends the worker as if its process died: {@code how} is its exit description. */
  void die(String how) {
    exited.complete(how);
  }

  /**
   * From now on a kill does not end it: it goes on until {@link #die}, as a GraalPy worker whose
   * call cannot be cancelled.
   */
  void slowToDie() {
    slowToDie = true;
  }

  /** How many times the pool killed it. */
  int kills() {
    return kills.get();
  }

  @Override
  public void kill() {
    kills.incrementAndGet();
    if (!slowToDie) {
      exited.complete("killed");
    }
  }

  @Override
  public void close(Duration grace) {
    exited.complete("closed");
  }

  @Override
  public CompletionStage<String> exited() {
    return exited;
  }

  /** A {@link Frames#RESULT} with one prediction part per request. */
  static Reply result(List<String> parts) {
    byte[] columns = utf8("[\"v\"]");
    int size = 8 + columns.length + parts.stream().mapToInt(p -> 4 + utf8(p).length).sum();
    ByteBuffer buffer = ByteBuffer.allocate(size).putInt(columns.length).put(columns);
    buffer.putInt(parts.size());
    for (String part : parts) {
      buffer.putInt(utf8(part).length).put(utf8(part));
    }
    return new Reply(Frames.RESULT, buffer.array());
  }

  /** A {@link Frames#MODEL_ERROR}: the model raised ValueError({@code message}). */
  static Reply modelError(String message) {
    return new Reply(
        Frames.MODEL_ERROR, utf8("{\"type\":\"ValueError\",\"message\":\"" + message + "\"}"));
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode tree(byte[] payload) {
    try {
      return JSON.readTree(payload);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
