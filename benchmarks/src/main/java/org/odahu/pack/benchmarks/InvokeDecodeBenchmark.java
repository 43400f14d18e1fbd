package org.odahu.pack.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.server.odahu.OdahuRequest;
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

/**
 * Validating and slicing an invoke body ({@code {"columns":..., "data": [...]}}) of N wine rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InvokeDecodeBenchmark {
  @Param({"1", "64", "1000"})
  public int rows;

  private byte[] body;

  @Setup
  public void load() {
    body = BenchmarkData.wineRequest(rows).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public PredictionInput decode() {
    return OdahuRequest.parse(body);
  }
}
