package org.odahu.pack.gppi.cpython;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.runtime.Worker;

/** A worker started before the pool asks for one, with real CPython and the simple model. */
class EarlyWorkerIT {
  private static final BackendOptions OPTIONS =
      BackendOptions.builder().python(Examples.python()).build();

  private static CPythonWorkerFactory factory(ModelArtifact artifact, EarlyWorker early) {
    return new CPythonWorkerFactory(artifact, OPTIONS.toBuilder().earlyWorker(early).build());
  }

  private Set<Long> childrenBefore;

  @BeforeEach
  void noteChildren() {
    childrenBefore = children();
  }

  /**
   * This JVM's Python children. Not every child: a worker's end runs a short {@code /bin/sh} that
   * kills its process group, which may still be running when a test begins or ends.
   */
  private static Set<Long> children() {
    return ProcessHandle.current()
        .children()
        .filter(child -> child.info().command().orElse("").contains("python"))
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** The one process started since the test began. */
  private long newChild() {
    List<Long> started = children().stream().filter(p -> !childrenBefore.contains(p)).toList();
    assertEquals(1, started.size(), "processes started: " + started);
    return started.get(0);
  }

  private static long pid(Worker worker) {
    String name = worker.name();
    return Long.parseLong(name.substring(name.indexOf("pid ") + 4, name.indexOf(')')));
  }

  private static void awaitExit(long pid) throws Exception {
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
  }

  @Test
  void theFirstWorkerOfTheSameLaunchIsTheEarlyProcess() throws Exception {
    EarlyWorker early = new EarlyWorker();
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("simple"));
        CPythonWorkerFactory factory = factory(artifact, early)) {
      assertTrue(early.start(() -> WorkerLaunch.of(artifact, OPTIONS)));
      long earlyPid = newChild();
      Worker first = factory.start(1);
      Worker second = factory.start(2);
      try {
        assertEquals(earlyPid, pid(first), first.name());
        assertNotEquals(earlyPid, pid(second), "only the first worker takes it over");
      } finally {
        first.close(Duration.ofSeconds(5));
        second.close(Duration.ofSeconds(5));
      }
      awaitExit(earlyPid);
    }
  }

  @Test
  void aWorkerOfAnotherLaunchKillsTheEarlyProcessAndStartsItsOwn() throws Exception {
    EarlyWorker early = new EarlyWorker();
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("simple"));
        CPythonWorkerFactory factory = factory(artifact, early)) {
      WorkerLaunch real = WorkerLaunch.of(artifact, OPTIONS);
      WorkerLaunch guessed =
          new WorkerLaunch(
              real.python(),
              real.module(),
              real.workDir(),
              real.root(),
              real.maxFrameBytes() + 1,
              real.ndarray(),
              real.environment());
      assertTrue(early.start(() -> guessed));
      long earlyPid = newChild();
      Worker worker = factory.start(1);
      try {
        assertNotEquals(earlyPid, pid(worker));
        awaitExit(earlyPid);
        assertFalse(ProcessHandle.of(earlyPid).map(ProcessHandle::isAlive).orElse(false));
      } finally {
        worker.close(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void nothingStartsAfterTheFirstClaimOrWithoutAPrediction() {
    Path simple = Examples.artifact("simple");
    try (ModelArtifact artifact = ModelArtifact.open(simple)) {
      WorkerLaunch launch = WorkerLaunch.of(artifact, OPTIONS);
      EarlyWorker claimedFirst = new EarlyWorker();
      assertNull(claimedFirst.claim(launch));
      assertFalse(claimedFirst.start(() -> launch), "too late: the pool started its own");

      assertFalse(EarlyWorker.NONE.start(() -> launch));
      assertNull(EarlyWorker.NONE.claim(launch));

      EarlyWorker noPrediction = new EarlyWorker();
      assertFalse(noPrediction.start(() -> null));
      assertNull(noPrediction.claim(launch));

      EarlyWorker failing = new EarlyWorker();
      assertFalse(
          failing.start(
              () -> {
                throw new IllegalStateException("cannot guess");
              }));
      assertNull(failing.claim(launch));

      EarlyWorker noInterpreter = new EarlyWorker();
      WorkerLaunch missing =
          new WorkerLaunch(
              Path.of("/nonexistent/python3"),
              launch.module(),
              launch.workDir(),
              launch.root(),
              launch.maxFrameBytes(),
              launch.ndarray(),
              launch.environment());
      assertFalse(noInterpreter.start(() -> missing));
      assertNull(noInterpreter.claim(missing));
    }
    assertEquals(childrenBefore, children(), "no process was started");
  }
}
