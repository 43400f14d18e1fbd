package org.odahu.pack.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.artifact.ModelArtifact;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under {@link WorkerRoundTripBenchmark}: the same {@code predict_on_matrix} call in a
 * Python process behind a bare pipe (one byte each way, no framing, no JSON, no queue), called from
 * the benchmark thread itself ({@code handoff=false}) or, as the worker pool does, through one
 * other Java thread ({@code handoff=true}). Round trip minus this floor is what the bridge adds;
 * this floor minus the in-Python model cost is what any subprocess design pays here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipeFloorBenchmark {

  @Param({"simple", "wine"})
  public String model;

  @Param({"1", "64"})
  public int rows;

  @Param({"false", "true"})
  public boolean handoff;

  private Process python;
  private OutputStream toPython;
  private InputStream fromPython;
  private ExecutorService thread;

  @Setup(Level.Trial)
  public void start() throws IOException {
    Path script = Files.createTempFile("pipe_floor", ".py");
    try (InputStream resource = PipeFloorBenchmark.class.getResourceAsStream("pipe_floor.py")) {
      Files.write(script, resource.readAllBytes());
    }
    Path request =
        Files.writeString(
            Files.createTempFile("request", ".json"), BenchmarkData.wineRequest(rows));
    try (ModelArtifact artifact = ModelArtifact.open(BenchmarkData.artifact(model))) {
      python =
          new ProcessBuilder(
                  BenchmarkData.python().toString(),
                  script.toString(),
                  artifact.workDir().toString(),
                  artifact.manifest().model().entrypoint(),
                  request.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    }
    toPython = python.getOutputStream();
    fromPython = python.getInputStream();
    thread = Executors.newSingleThreadExecutor();
    call(); // the model is loaded and answers, so both files have been read
    Files.delete(script);
    Files.delete(request);
  }

  private int call() throws IOException {
    toPython.write('.');
    toPython.flush();
    int answer = fromPython.read();
    if (answer != '.') {
      throw new IOException("pipe_floor.py stopped answering: does the model load?");
    }
    return answer;
  }

  @Benchmark
  public int predict() throws IOException, InterruptedException, ExecutionException {
    return handoff ? thread.submit(this::call).get() : call();
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    thread.shutdownNow();
    python.destroy();
    python.waitFor(10, TimeUnit.SECONDS);
  }
}
