package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.odahu.pack.gppi.RequestJson;

/**
 * A model's answer (JSON text) cut into its rows, the elements of the top-level array, and each row
 * into its values (an array row's elements, or the row itself), everything as the worker wrote it,
 * in one reading. An answer that is not an array has no rows.
 */
final class PredictionRows {
  private static final JsonFactory JSON = RequestJson.factory();

  private final byte[] json;
  private final int[] bounds;
  private final int count;
  private final int[] firstValue;
  private final int[] valueBounds;
  private final JsonToken[] tokens;

  private PredictionRows(
      byte[] json,
      int[] bounds,
      int count,
      int[] firstValue,
      int[] valueBounds,
      JsonToken[] tokens) {
    this.json = json;
    this.bounds = bounds;
    this.count = count;
    this.firstValue = firstValue;
    this.valueBounds = valueBounds;
    this.tokens = tokens;
  }

  /** Cuts {@code json}, which the worker wrote and is well-formed. */
  static PredictionRows of(byte[] json) {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return new PredictionRows(json, new int[0], -1, new int[1], new int[0], new JsonToken[0]);
      }
      Builder rows = new Builder();
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        rows.startRow(start);
        if (token == JsonToken.START_ARRAY) {
          while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            rows.value(parser, token);
          }
        } else {
          rows.value(parser, token);
        }
        rows.endRow((int) parser.currentLocation().getByteOffset());
      }
      return rows.build(json);
    } catch (IOException e) {
      throw new UncheckedIOException("the worker's answer is not well-formed JSON", e);
    }
  }

  private static final class Builder {
    int[] bounds = new int[64];
    int[] firstValue = new int[33];
    int[] valueBounds = new int[64];
    JsonToken[] tokens = new JsonToken[32];
    int count;
    int values;

    void startRow(int start) {
      if (2 * count + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, 2 * bounds.length);
        firstValue = Arrays.copyOf(firstValue, bounds.length / 2 + 1);
      }
      bounds[2 * count] = start;
      firstValue[count] = values;
    }

    void value(JsonParser parser, JsonToken token) throws IOException {
      if (values == tokens.length) {
        tokens = Arrays.copyOf(tokens, 2 * values);
        valueBounds = Arrays.copyOf(valueBounds, 4 * values);
      }
      tokens[values] = token;
      valueBounds[2 * values] = (int) parser.currentTokenLocation().getByteOffset();
      parser.skipChildren();
      parser.finishToken();
      valueBounds[2 * values + 1] = (int) parser.currentLocation().getByteOffset();
      values++;
    }

    void endRow(int end) {
      bounds[2 * count + 1] = end;
      count++;
      firstValue[count] = values;
    }

    PredictionRows build(byte[] json) {
      return new PredictionRows(json, bounds, count, firstValue, valueBounds, tokens);
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

  /** Values of row {@code index}: its elements when it is an array, else 1 (itself). */
  int values(int index) {
    return firstValue[index + 1] - firstValue[index];
  }

  /** Where value {@code value} of row {@code index} starts in {@link #json()}. */
  int valueStart(int index, int value) {
    return valueBounds[2 * (firstValue[index] + value)];
  }

  /** Where value {@code value} of row {@code index} ends in {@link #json()}. */
  int valueEnd(int index, int value) {
    return valueBounds[2 * (firstValue[index] + value) + 1];
  }

  /** The kind of value {@code value} of row {@code index}. */
  JsonToken valueToken(int index, int value) {
    return tokens[firstValue[index] + value];
  }
}
