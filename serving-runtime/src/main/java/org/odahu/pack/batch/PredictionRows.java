package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A model's answer (JSON text) cut into its rows: the elements of the top-level array, each as the
 * worker wrote it. An answer that is not an array has no rows.
 */
final class PredictionRows {
  private static final JsonFactory JSON = new JsonFactory();

  private final byte[] json;
  private final int[] bounds;
  private final int count;

  private PredictionRows(byte[] json, int[] bounds, int count) {
    this.json = json;
    this.bounds = bounds;
    this.count = count;
  }

  /** Cuts {@code json}, which the worker wrote and is well-formed. */
  static PredictionRows of(byte[] json) {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return new PredictionRows(json, new int[0], -1);
      }
      int[] bounds = new int[64];
      int count = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (2 * count + 2 > bounds.length) {
          bounds = Arrays.copyOf(bounds, 2 * bounds.length);
        }
        bounds[2 * count] = (int) parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        parser.finishToken();
        bounds[2 * count + 1] = (int) parser.currentLocation().getByteOffset();
        count++;
      }
      return new PredictionRows(json, bounds, count);
    } catch (IOException e) {
      throw new UncheckedIOException("the worker's answer is not well-formed JSON", e);
    }
  }

  /** Whether the answer is an array. */
  boolean isArray() {
    return count >= 0;
  }

  /** Rows of the answer: the array's elements; -1 when it is not an array. */
  int count() {
    return count;
  }

  /** The whole answer's text. */
  byte[] json() {
    return json;
  }

  /** Where row {@code index}'s text starts in {@link #json()}. */
  int start(int index) {
    return bounds[2 * index];
  }

  /** Where row {@code index}'s text ends in {@link #json()}. */
  int end(int index) {
    return bounds[2 * index + 1];
  }
}
