package org.odahu.pack.server.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.GppiException;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelBackends;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.SelfCheckReport;
import org.odahu.pack.server.PythonJson;
import org.odahu.pack.server.odahu.OdahuCodec;
import org.odahu.pack.server.odahu.OdahuRequest;
import org.odahu.pack.server.odahu.SwaggerDocument;

/**
 * ODAHU's batch CLI ({@code entrypoint_invoke.py}) on the server's model code path: one file in,
 * one model call, one output file, with ODAHU's output format and messages.
 */
public final class BatchRunner implements AutoCloseable {
  /** ODAHU's default output file name. */
  public static final String DEFAULT_OUTPUT = "results.json";

  private final ModelBackend backend;

  /** Starts the model in one worker; fails with the start-up error if it cannot start. */
  public BatchRunner(ModelArtifact artifact, BackendOptions options) {
    this.backend = ModelBackends.create(artifact, options);
    try {
      await(backend.start());
    } catch (RuntimeException e) {
      // Nobody else can stop a backend whose model did not start: its workers and files go now.
      backend.close();
      throw e;
    }
  }

  /** Options for batch work: one worker, no merging, no practical time limit, large files. */
  public static BackendOptions.Builder defaults() {
    return BackendOptions.builder()
        .workers(1)
        .batching(BatchingPolicy.DISABLED)
        .timeout(Duration.ofDays(1))
        .maxFrameBytes(Integer.MAX_VALUE - 64);
  }

  /**
   * Predicts {@code input} and writes {@code {"prediction": ..., "columns": ...}} as Python's
   * {@code json.dump} does to {@code outputDir/fileName}.
   *
   * @return the file written
   */
  public Path predict(Path input, Path outputDir, String fileName) {
    byte[] body;
    try {
      body = Files.readAllBytes(input);
    } catch (IOException e) {
      throw new GppiException("Cannot read the input file " + input + ": " + e.getMessage(), e);
    }
    PredictionInput request;
    try {
      request = OdahuRequest.parse(body);
    } catch (InvalidInputException e) {
      throw new GppiException(e.getMessage() + " (in " + input + ")", e);
    }
    Prediction prediction;
    try {
      prediction = await(backend.predict(request, OutputStyle.PYTHON));
    } catch (ModelPredictionException e) {
      throw new GppiException("Exception during prediction: " + e.getMessage(), e);
    }
    Path output = outputDir.resolve(fileName);
    try {
      Files.createDirectories(outputDir);
      Files.write(output, OdahuCodec.pythonStyleJson(prediction));
    } catch (IOException e) {
      throw new GppiException("Cannot write the result file " + output + ": " + e.getMessage(), e);
    }
    return output;
  }

  /**
   * ODAHU's {@code info}: {@code Input schema:} and {@code Output schema:}, each followed by the
   * OpenAPI properties as Python's {@code json.dumps(..., indent=4)} prints them.
   */
  public String info() {
    ModelSchema schema = await(backend.info());
    return "Input schema:\n"
        + PythonJson.indented(SwaggerDocument.inputProperties(schema))
        + "\nOutput schema:\n"
        + PythonJson.indented(SwaggerDocument.outputProperties(schema))
        + "\n";
  }

  /** ODAHU's GPPI self-check in the model's worker. */
  public SelfCheckReport selfCheck() {
    return await(backend.selfCheck());
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    backend.close();
  }
}
