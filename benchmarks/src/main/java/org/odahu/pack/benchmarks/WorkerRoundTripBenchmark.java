package org.odahu.pack.benchmarks;

import java.util.concurrent.TimeUnit;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelBackends;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.server.odahu.OdahuRequest;
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
 * How long one prediction takes through a model worker, end to end from Java: queue, frame
 * encoding, the pipe, Python's JSON decoding, {@code predict_on_matrix}, encoding the answer and
 * back. {@code benchmarks/python/inpython_cost.py} measures the model's own share of the same call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WorkerRoundTripBenchmark {

  /** {@code runtime:model}: CPython with a trivial and a scikit-learn model, GraalPy in-process. */
  @Param({"cpython:simple", "cpython:wine", "graalpy:pure"})
  public String target;

  @Param({"1", "64"})
  public int rows;

  private ModelArtifact artifact;
  private ModelBackend backend;
  private PredictionInput input;

  @Setup(Level.Trial)
  public void start() throws Exception {
    String runtime = target.substring(0, target.indexOf(':'));
    String model = target.substring(target.indexOf(':') + 1);
    artifact = ModelArtifact.open(BenchmarkData.artifact(model));
    BackendOptions options =
        BackendOptions.builder()
            .runtime(runtime)
            .python(BenchmarkData.python())
            .batching(BatchingPolicy.DISABLED)
            .build();
    backend = ModelBackends.create(artifact, options);
    backend.start().toCompletableFuture().get(5, TimeUnit.MINUTES);
    input =
        OdahuRequest.parse(
            (model.equals("pure")
                    ? BenchmarkData.pureRequest(rows)
                    : BenchmarkData.wineRequest(rows))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Benchmark
  public Prediction predict() {
    return backend.predict(input).toCompletableFuture().join();
  }

  @TearDown(Level.Trial)
  public void stop() {
    backend.close();
    artifact.close();
  }
}
