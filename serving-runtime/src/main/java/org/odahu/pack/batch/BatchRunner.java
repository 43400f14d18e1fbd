package org.odahu.pack.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.GppiException;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelBackends;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.SelfCheckReport;
import org.odahu.pack.server.PythonJson;
import org.odahu.pack.server.odahu.SwaggerDocument;

/**
 * Batch prediction on the server's model code path: ODAHU's batch CLI ({@code
 * entrypoint_invoke.py}) with its output format and messages, grown to files of any size. The input
 * is read in chunks of rows that the model's workers predict in parallel, one model call per chunk,
 * and the answers are written in input order to a file that gets its name only once complete.
 */
public final class BatchRunner implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BatchRunner.class.getName());

  /** ODAHU's default output file name. */
  public static final String DEFAULT_OUTPUT = "results.json";

  /** The largest frame between Java and a worker: a chunk is as large as its rows make it. */
  public static final int MAX_FRAME_BYTES = Integer.MAX_VALUE - 64;

  private final ModelBackend backend;
  private final int workers;
  private final ExitCleanup cleanup;
  private final ExitCleanup.Registration workersAtExit;

  /** Starts the model; fails with the start-up error if it cannot start. */
  public BatchRunner(ModelArtifact artifact, BackendOptions options) {
    this(artifact, options, ExitCleanup.manual());
  }

  /**
   * Starts the model; fails with the start-up error if it cannot start.
   *
   * @param cleanup removes unfinished result files if the program is stopped
   */
  public BatchRunner(ModelArtifact artifact, BackendOptions options, ExitCleanup cleanup) {
    this(startingLogged(artifact, options), options.workers(), cleanup);
  }

  /** The backend, after saying that it starts: a model's import and init() may take minutes. */
  private static ModelBackend startingLogged(ModelArtifact artifact, BackendOptions options) {
    LOG.log(
        System.Logger.Level.INFO,
        "Starting the model: importing it and running init() (at most {0} s, --start-timeout)",
        options.startTimeout().toSeconds());
    return ModelBackends.create(artifact, options);
  }

  /** Runs {@code backend}, which has {@code workers} workers; tests give a stand-in. */
  BatchRunner(ModelBackend backend, int workers, ExitCleanup cleanup) {
    this.backend = backend;
    this.workers = workers;
    this.cleanup = cleanup;
    // Stopped (Ctrl-C, SIGTERM), the program kills its workers as it exits: they do nothing on
    // those signals, and would otherwise go on computing their chunk with nobody to read it.
    this.workersAtExit = cleanup.register("the model's workers", backend::kill);
    try {
      // Chunks go to the first worker ready; the others join as they start (or never do).
      await(backend.startOne());
    } catch (RuntimeException e) {
      // Nobody else can stop a backend whose model did not start: its workers and files go now.
      close();
      throw e;
    }
  }

  /**
   * Options for batch work: one worker, no merging (each chunk is its own model call), no practical
   * time limit unless set, counted from when a worker takes the chunk (a restart after a kill is
   * not charged to the next chunk), large chunks.
   */
  public static BackendOptions.Builder defaults() {
    return BackendOptions.builder()
        .workers(1)
        .batching(BatchingPolicy.DISABLED)
        .timeout(Duration.ofDays(1))
        .timeoutCountsQueue(false)
        .maxFrameBytes(MAX_FRAME_BYTES);
  }

  /**
   * Predicts ODAHU's JSON file {@code input} and writes {@code {"prediction": ..., "columns": ...}}
   * as Python's {@code json.dump} does to {@code outputDir/fileName}.
   *
   * @return the file written
   */
  public Path predict(Path input, Path outputDir, String fileName) {
    return predict(BatchRequest.odahu(input, outputDir.resolve(fileName)), BatchListener.NONE)
        .output();
  }

  /**
   * Predicts {@code request}'s rows, reporting progress to {@code listener} after each chunk.
   *
   * @throws InvalidBatchInputException if the input is not what its format says
   * @throws ChunkFailedException if a chunk fails and the request says to stop
   * @throws AnswerShapeException if the model's answers cannot be put together row by row
   */
  public BatchResult predict(BatchRequest request, BatchListener listener) {
    MadeDirectories directories = null;
    boolean done = false;
    try {
      directories = MadeDirectories.make(request.output().toAbsolutePath().getParent());
      BatchResult result = write(request, listener);
      done = true;
      return result;
    } catch (IOException e) {
      throw cannotPredict(request, e);
    } finally {
      // Shards of one input share their directory, and another shard may be about to write there.
      if (!done && directories != null && request.shard().isWhole()) {
        directories.removeIfEmpty();
      }
    }
  }

  private static GppiException cannotPredict(BatchRequest request, IOException e) {
    return new GppiException(
        "Cannot predict " + request.input() + " into " + request.output() + ": " + e.getMessage(),
        e);
  }

  private BatchResult write(BatchRequest request, BatchListener listener) {
    try (RowSource source =
            RowSources.open(
                request.input(), request.inputFormat(), request.shard(), request.chunkRows());
        OutputFile output = OutputFile.create(request.output(), cleanup);
        FailedRows failed = new FailedRows(FailedRows.of(request.output()), cleanup)) {
      OrderedResults results =
          new OrderedResults(
              RowSources.writer(request.outputFormat(), output.stream()),
              !request.shard().isWhole());
      long rows =
          new ChunkPipeline(backend, 2 * workers, request.onError(), listener, System::nanoTime)
              .run(source, results, failed, request.shard().isWhole());
      // The side file first: a result file is never named before the rows it skipped are recorded.
      failed.commit();
      output.commit();
      return new BatchResult(request.output(), rows, failed.rows(), failed.path());
    } catch (IOException e) {
      throw cannotPredict(request, e);
    } catch (OutOfMemoryError e) {
      // Chunks are bounded by the heap's size, but a model's answers, or rows near the limit
      // of one row, may still not fit: said with what to change, not as a stack trace.
      throw new GppiException(
          "The Java heap ("
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB) is too small for the rows of "
              + request.input()
              + " and their answers: lower --chunk-rows, or give Java more with"
              + " ODAHU_PACK_JAVA_OPTS=-Xmx4g (JDK_JAVA_OPTIONS in an image)",
          e);
    }
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
    try {
      backend.close();
    } finally {
      workersAtExit.close();
    }
  }
}
