package org.odahu.pack.gppi.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.gppi.AnswerTooLargeException;
import org.odahu.pack.gppi.BackendListener;
import org.odahu.pack.gppi.GppiException;
import org.odahu.pack.gppi.MatrixPacking;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.WorkerCrashedException;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.WireMessages;
import org.odahu.pack.gppi.runtime.WorkerDiedException;

/**
 * Turns one batch into model calls through a slot's {@link CallGuard}: a control call, a prediction
 * alone, or a merged prediction whose result is split back to its jobs (falling back to one call
 * per job when the merged call cannot be used). Runs on the slot's thread.
 *
 * <p>Only a merged call is ever retried: a batch of one request calls the model once, whatever
 * happens, so with merging off every request reaches the model exactly once. A merged call that
 * raises, cannot be split back or kills its worker puts its requests back at the head of the queue
 * to run alone ({@link JobQueue#retryAlone}); one that times out fails them all.
 *
 * <p>A call's checked result is handed to its jobs (its packed values written as JSON, its futures
 * completed, which wakes the HTTP threads) once the worker has the next call, so that the worker
 * does not wait for that work; or before the slot waits, if no call is queued ({@link #handOut}).
 */
final class BatchDispatcher {
  private static final byte[] EMPTY = new byte[0];

  private final CallGuard guard;
  private final JobQueue queue;
  private final Merging merging;
  private final BackendListener listener;
  private final PoolClock clock;
  private final Duration timeout;
  private final int maxFrameBytes;
  private final MatrixPacking packing;
  private final List<Answer> answers = new ArrayList<>();
  private final Runnable handOut = this::handOut;

  BatchDispatcher(
      CallGuard guard,
      JobQueue queue,
      Merging merging,
      BackendListener listener,
      PoolClock clock,
      Duration timeout,
      int maxFrameBytes,
      MatrixPacking packing) {
    this.guard = guard;
    this.queue = queue;
    this.merging = merging;
    this.listener = listener;
    this.clock = clock;
    this.timeout = timeout;
    this.maxFrameBytes = maxFrameBytes;
    this.packing = packing;
  }

  /**
   * Runs the batch's calls that are neither done nor past their deadline (those time out as queued
   * calls do).
   */
  void dispatch(Batch batch) {
    switch (batch) {
      case Batch.Control control -> {
        if (!control.job().isDone()) {
          runControl(control.job());
        }
      }
      case Batch.Predictions predictions -> {
        long now = clock.nanoTime();
        List<PredictionJob> live = new ArrayList<>(predictions.jobs().size());
        for (PredictionJob job : predictions.jobs()) {
          if (job.isDone()) {
            continue;
          }
          job.leftQueue(now, listener);
          if (job.expired(now)) {
            // Past its deadline, though the deadline thread's pass (every 10-100 ms) has not
            // failed it yet: the model's time goes to calls that can still be answered.
            job.fail(DeadlineWatcher.waitedTooLong(job, timeout));
          } else {
            live.add(job);
          }
        }
        if (live.size() == 1) {
          predictAlone(live.get(0));
        } else if (!live.isEmpty()) {
          predictMerged(live);
        }
      }
    }
  }

  /** Hands the results checked so far to their jobs; the slot's thread runs it before waiting. */
  void handOut() {
    for (Answer answer : answers) {
      try {
        answer.give();
      } catch (RuntimeException e) {
        WorkerCrashedException failure =
            new WorkerCrashedException("Writing the model's answer failed: " + e, e);
        answer.jobs().forEach(job -> job.fail(failure));
      }
    }
    answers.clear();
  }

  private void runControl(ControlJob<?> job) {
    CallOutcome outcome = guard.call(List.of(job), job.requestType(), EMPTY, handOut);
    if (outcome.isUndelivered()) {
      queue.putFirst(List.of(job));
      return;
    }
    Reply reply = outcome.reply();
    if (outcome.failure() != null) {
      job.fail(outcome.failure());
    } else if (reply.type() == Frames.MODEL_ERROR) {
      job.fail(modelError(reply, job.call()));
    } else if (job.isAnsweredBy(reply.type())) {
      job.settle(reply.payload());
    } else {
      guard.protocolBreach(List.of(job), reply);
    }
  }

  private void predictAlone(PredictionJob job) {
    long start = clock.nanoTime();
    byte[] request =
        WireMessages.predictRequest(List.of(job.input()), job.style(), packing, maxFrameBytes);
    CallOutcome outcome = guard.call(List.of(job), Frames.PREDICT, request, handOut);
    // Every call the model got counts, the ones that timed out or killed their worker too.
    long callNanos = clock.nanoTime() - start;
    if (outcome.sent()) {
      listener.onModelCall(1, job.rows(), callNanos);
    }
    if (outcome.isUndelivered()) {
      queue.putFirst(List.of(job));
      return;
    }
    if (outcome.failure() != null) {
      job.fail(outcome.failure());
      return;
    }
    Reply reply = outcome.reply();
    Merging.FailedMerge failedMerge = job.failedMerge();
    if (reply.type() == Frames.MODEL_ERROR) {
      job.fail(modelError(reply, ModelPredictionException.PREDICTION));
      if (failedMerge != null) {
        failedMerge.settled(false);
      }
    } else if (WireMessages.isResult(reply)) {
      boolean answered = complete(List.of(job), reply, start, callNanos);
      if (failedMerge != null) {
        failedMerge.settled(answered);
      }
    } else {
      guard.protocolBreach(List.of(job), reply);
    }
  }

  private void predictMerged(List<PredictionJob> jobs) {
    long start = clock.nanoTime();
    List<PredictionInput> inputs = new ArrayList<>(jobs.size());
    int rows = 0;
    for (PredictionJob job : jobs) {
      inputs.add(job.input());
      rows += job.rows();
    }
    byte[] request =
        WireMessages.predictRequest(inputs, jobs.get(0).style(), packing, maxFrameBytes);
    if (request.length > maxFrameBytes) {
      queue.retryAlone(jobs);
      return;
    }
    CallOutcome outcome = guard.call(jobs, Frames.PREDICT, request, handOut);
    long callNanos = clock.nanoTime() - start;
    if (outcome.sent()) {
      listener.onModelCall(jobs.size(), rows, callNanos);
    }
    if (outcome.isUndelivered()) {
      queue.putFirst(jobs);
      return;
    }
    if (outcome.workerDied()) {
      queue.retryAlone(jobs);
      return;
    }
    if (outcome.failure() != null) {
      jobs.forEach(job -> job.fail(outcome.failure()));
      return;
    }
    Reply reply = outcome.reply();
    switch (reply.type()) {
      case Frames.RESULT, Frames.PACKED_RESULT -> complete(jobs, reply, start, callNanos);
      case Frames.ROW_MISMATCH -> {
        merging.turnOff(WireMessages.decodeRowMismatch(reply.payload()), rows);
        queue.retryAlone(jobs);
      }
      // One request's bad values must not fail the requests it was merged with. Each is run alone
      // from the queue, as after a worker's death: within its deadline, unless already answered
      // (timed out), by whichever worker is free.
      case Frames.MODEL_ERROR -> {
        Merging.FailedMerge failed = merging.failedMerge(jobs.size());
        jobs.forEach(job -> job.runAloneAfter(failed));
        queue.putFirst(jobs);
      }
      default -> guard.protocolBreach(jobs, reply);
    }
  }

  /** Hands the result to {@code jobs} (see {@link #handOut}); whether it was one to hand. */
  private boolean complete(List<PredictionJob> jobs, Reply reply, long start, long callNanos) {
    WireMessages.Result result;
    try {
      result = WireMessages.decodeResult(reply);
    } catch (WorkerDiedException e) {
      guard.protocolBreach(jobs, reply);
      return false;
    }
    if (result.count() != jobs.size()) {
      guard.protocolBreach(jobs, reply);
      return false;
    }
    if (jobs.size() == 1 && merging.isOn()) {
      checkRows(jobs.get(0), result.answeredRows());
    }
    answers.add(new Answer(jobs, result, start, callNanos));
    return true;
  }

  /**
   * Turns merging off when a request alone gets an answer with another row count than its input: a
   * merged call's answer could not be split back by request (a string, a column-major array whose
   * length may match the merged rows by chance).
   */
  private void checkRows(PredictionJob job, int answeredRows) {
    if (answeredRows != WireMessages.Result.UNKNOWN_ROWS
        && answeredRows != job.rows()
        && job.input().isMergeable()) {
      merging.turnOffAlone(answeredRows, job.rows());
    }
  }

  /** A call's checked result, for its jobs. */
  private record Answer(
      List<PredictionJob> jobs, WireMessages.Result result, long start, long callNanos) {
    void give() {
      List<byte[]> parts = result.parts();
      List<byte[]> float32Parts = result.float32Parts();
      int rows = jobs.stream().mapToInt(PredictionJob::rows).sum();
      for (int i = 0; i < jobs.size(); i++) {
        PredictionJob job = jobs.get(i);
        Prediction.Timings timings =
            new Prediction.Timings(start - job.enqueuedNanos(), callNanos, jobs.size(), rows);
        job.complete(
            new Prediction(
                parts.get(i),
                result.columnsJson(),
                timings,
                float32Parts == null ? null : float32Parts.get(i)));
      }
    }
  }

  private static GppiException modelError(Reply reply, String call) {
    WireMessages.PythonError error = WireMessages.decodeError(reply.payload());
    if (error.answerBytes() >= 0) {
      return new AnswerTooLargeException(error.answerBytes(), error.maxFrame());
    }
    return new ModelPredictionException(error.message(), error.type(), error.traceback(), call);
  }
}
