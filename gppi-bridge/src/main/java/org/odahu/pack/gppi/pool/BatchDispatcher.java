package org.odahu.pack.gppi.pool;

import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.WireMessages;
import org.odahu.pack.gppi.runtime.WorkerDiedException;

/**
 * Turns one batch of live jobs into model calls on a {@link WorkerSlot}'s worker: a control call, a
 * prediction alone, or a merged prediction whose result is split back to its jobs (falling back to
 * one call per job when the merged call cannot be used). Runs on the slot's thread.
 */
final class BatchDispatcher {
  private final WorkerSlot slot;
  private final WorkerPool pool;

  BatchDispatcher(WorkerSlot slot, WorkerPool pool) {
    this.slot = slot;
    this.pool = pool;
  }

  /** Runs the jobs, which are not done and share the first job's type, and settles each of them. */
  void dispatch(List<Job> live) {
    Job first = live.get(0);
    if (first.type != Frames.PREDICT) {
      WorkerSlot.Outcome outcome = slot.call(first.type, new byte[0]);
      if (outcome.failure() != null) {
        first.fail(outcome.failure());
      } else {
        finishControl(first, outcome.reply());
      }
    } else if (live.size() == 1) {
      predictAlone(first);
    } else {
      predictMerged(live);
    }
  }

  private void finishControl(Job job, Reply reply) {
    if (reply.type() == Frames.MODEL_ERROR) {
      job.fail(modelError(reply));
    } else if (reply.type() == Frames.INFO_RESULT || reply.type() == Frames.SELF_CHECK_RESULT) {
      job.complete(reply.payload());
    } else {
      slot.protocolBreach(List.of(job), reply);
    }
  }

  private void predictAlone(Job job) {
    long start = System.nanoTime();
    byte[] request = WireMessages.predictRequest(List.of(job.input), job.style);
    WorkerSlot.Outcome outcome = slot.call(Frames.PREDICT, request);
    if (outcome.failure() != null) {
      job.fail(outcome.failure());
      return;
    }
    Reply reply = outcome.reply();
    long callNanos = System.nanoTime() - start;
    pool.listener().onModelCall(1, job.rows(), callNanos);
    if (reply.type() == Frames.MODEL_ERROR) {
      job.fail(modelError(reply));
    } else if (reply.type() == Frames.RESULT) {
      complete(List.of(job), reply, start, callNanos);
    } else {
      slot.protocolBreach(List.of(job), reply);
    }
  }

  private void predictMerged(List<Job> jobs) {
    long start = System.nanoTime();
    List<PredictionInput> inputs = new ArrayList<>(jobs.size());
    int rows = 0;
    for (Job job : jobs) {
      inputs.add(job.input);
      rows += job.rows();
    }
    byte[] request = WireMessages.predictRequest(inputs, jobs.get(0).style);
    if (request.length > pool.options().maxFrameBytes()) {
      predictEachAlone(jobs);
      return;
    }
    WorkerSlot.Outcome outcome = slot.call(Frames.PREDICT, request);
    if (outcome.workerDied()) {
      pool.queue().retryAlone(jobs);
      return;
    }
    if (outcome.failure() != null) {
      jobs.forEach(job -> job.fail(outcome.failure()));
      return;
    }
    Reply reply = outcome.reply();
    long callNanos = System.nanoTime() - start;
    pool.listener().onModelCall(jobs.size(), rows, callNanos);
    switch (reply.type()) {
      case Frames.RESULT -> complete(jobs, reply, start, callNanos);
      case Frames.ROW_MISMATCH -> {
        pool.markUnbatchable(WireMessages.decodeRowMismatch(reply.payload()), rows);
        predictEachAlone(jobs);
      }
      // One request's bad values must not fail the requests it was merged with.
      case Frames.MODEL_ERROR -> predictEachAlone(jobs);
      default -> slot.protocolBreach(jobs, reply);
    }
  }

  /**
   * Runs each call in a model call of its own; once one of them costs the worker, the rest go back
   * to the head of the queue, in order, to run alone on its replacement.
   */
  private void predictEachAlone(List<Job> jobs) {
    for (int i = 0; i < jobs.size(); i++) {
      if (!slot.hasWorker()) {
        pool.queue().retryAlone(jobs.subList(i, jobs.size()));
        return;
      }
      predictAlone(jobs.get(i));
    }
  }

  private void complete(List<Job> jobs, Reply reply, long start, long callNanos) {
    WireMessages.Result result;
    try {
      result = WireMessages.decodeResult(reply.payload());
    } catch (WorkerDiedException e) {
      slot.protocolBreach(jobs, reply);
      return;
    }
    if (result.parts().size() != jobs.size()) {
      slot.protocolBreach(jobs, reply);
      return;
    }
    int rows = jobs.stream().mapToInt(Job::rows).sum();
    for (int i = 0; i < jobs.size(); i++) {
      Job job = jobs.get(i);
      Prediction.Timings timings =
          new Prediction.Timings(start - job.enqueuedNanos, callNanos, jobs.size(), rows);
      job.complete(new Prediction(result.parts().get(i), result.columnsJson(), timings));
    }
  }

  private static ModelPredictionException modelError(Reply reply) {
    WireMessages.PythonError error = WireMessages.decodeError(reply.payload());
    return new ModelPredictionException(error.message(), error.type(), error.traceback());
  }
}
