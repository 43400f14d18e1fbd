package org.odahu.pack.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.gppi.MatrixPacking;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.WireMessages;
import org.odahu.pack.gppi.runtime.WorkerDiedException;
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
 * The Java side of batching: merging N single-row wine requests into one worker request, and
 * splitting a worker result back into N answers, with the runtime package's wire codec: a JSON
 * result, or a packed one whose values the JVM writes as JSON ({@code splitPacked}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BatchMergeSplitBenchmark {
  @Param({"1", "64", "128"})
  public int requests;

  private List<PredictionInput> inputs;
  private Reply result;
  private Reply packed;

  @Setup
  public void load() {
    String request =
        "{\"columns\":[\"alcohol\",\"chlorides\",\"citric acid\",\"density\",\"fixed acidity\","
            + "\"free sulfur dioxide\",\"pH\",\"residual sugar\",\"sulphates\","
            + "\"total sulfur dioxide\",\"volatile acidity\"],"
            + "\"data\":[[12.8,0.029,0.48,0.98,6.2,29,3.33,1.2,0.39,75,0.66]]}";
    inputs = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      inputs.add(OdahuRequest.parse(request.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64 + requests * 32);
    byte[] columns = "[\"quality\"]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    buffer.putInt(columns.length).put(columns).putInt(requests);
    byte[] part = "[6.3881577909662886]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 0; i < requests; i++) {
      buffer.putInt(part.length).put(part);
    }
    result = new Reply(Frames.RESULT, java.util.Arrays.copyOf(buffer.array(), buffer.position()));
    java.nio.ByteBuffer values = java.nio.ByteBuffer.allocate(64 + requests * 12);
    values.putInt(columns.length).put(columns).put((byte) 'f').put((byte) 1).putInt(1);
    values.putInt(requests);
    for (int i = 0; i < requests; i++) {
      values.putInt(1);
    }
    values.order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < requests; i++) {
      values.putDouble(6.3881577909662886 + i / 7.0);
    }
    packed =
        new Reply(Frames.PACKED_RESULT, java.util.Arrays.copyOf(values.array(), values.position()));
  }

  @Benchmark
  public byte[] merge() {
    return WireMessages.predictRequest(
        inputs, OutputStyle.COMPACT, MatrixPacking.FLOATS, Integer.MAX_VALUE);
  }

  @Benchmark
  public List<byte[]> split() throws WorkerDiedException {
    return WireMessages.decodeResult(result).parts();
  }

  @Benchmark
  public List<byte[]> splitPacked() throws WorkerDiedException {
    return WireMessages.decodeResult(packed).parts();
  }
}
