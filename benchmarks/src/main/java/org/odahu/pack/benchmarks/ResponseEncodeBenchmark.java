package org.odahu.pack.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.server.odahu.OdahuCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Writing a prediction of N rows in ODAHU's envelope, {@code {"prediction":...,"columns":...}}. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ResponseEncodeBenchmark {
  @Param({"1", "64", "1000"})
  public int rows;

  private Prediction prediction;

  @Setup
  public void load() {
    StringBuilder values = new StringBuilder("[");
    for (int i = 0; i < rows; i++) {
      values.append(i == 0 ? "" : ",").append(5.0 + i / 1000.0);
    }
    prediction =
        new Prediction(
            values.append(']').toString().getBytes(StandardCharsets.UTF_8),
            "[\"quality\"]".getBytes(StandardCharsets.UTF_8),
            new Prediction.Timings(0, 0, 1, rows));
  }

  @Benchmark
  public byte[] prediction() {
    return OdahuCodec.responseJson(prediction);
  }
}
