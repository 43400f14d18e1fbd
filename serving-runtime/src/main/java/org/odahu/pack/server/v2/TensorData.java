package org.odahu.pack.server.v2;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The elements of a JSON array of scalars, flat or nested, in row-major order, with its nesting:
 * the length of the arrays at each depth and whether it is rectangular (every array at one depth
 * has one length, and every scalar is at the deepest one).
 */
final class TensorData {
  private final List<JsonValue> values = new ArrayList<>();
  private int[] lengths = new int[4];
  private int depths;
  private int scalarDepth = -1;
  private boolean rectangular = true;
  private final boolean answer;

  private TensorData(boolean answer) {
    this.answer = answer;
  }

  /** A JSON value holds something no tensor can: an object. */
  static final class NotScalarException extends Exception {
    private static final long serialVersionUID = 1L;

    NotScalarException() {
      super("an element is a JSON object; tensor elements are numbers, strings or booleans");
    }
  }

  /**
   * Reads the array whose {@code START_ARRAY} is {@code parser}'s current token, up to its {@code
   * END_ARRAY}.
   *
   * @param answer whether the JSON is the model's answer (see {@link JsonValue#read})
   * @throws NotScalarException if an element is an object
   */
  static TensorData read(JsonParser parser, boolean answer) throws IOException, NotScalarException {
    TensorData data = new TensorData(answer);
    data.readArray(parser, 0);
    return data;
  }

  /** A 0-dimensional tensor: one scalar. */
  static TensorData scalar(JsonValue value) {
    TensorData data = new TensorData(false);
    data.values.add(value);
    data.scalarDepth = 0;
    return data;
  }

  private void readArray(JsonParser parser, int depth) throws IOException, NotScalarException {
    int count = 0;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == JsonToken.START_ARRAY) {
        readArray(parser, depth + 1);
      } else {
        JsonValue value = JsonValue.read(parser, answer);
        if (value == null) {
          throw new NotScalarException();
        }
        values.add(value);
        scalarAt(depth + 1);
      }
      count++;
    }
    lengthAt(depth, count);
  }

  private void scalarAt(int depth) {
    if (scalarDepth < 0) {
      scalarDepth = depth;
    } else if (scalarDepth != depth) {
      rectangular = false;
    }
  }

  private void lengthAt(int depth, int length) {
    if (depth >= lengths.length) {
      lengths = Arrays.copyOf(lengths, Math.max(depth + 1, lengths.length * 2));
    }
    if (depth >= depths) {
      for (int d = depths; d < depth; d++) {
        lengths[d] = -1;
      }
      depths = depth + 1;
      lengths[depth] = length;
    } else if (lengths[depth] < 0) {
      lengths[depth] = length;
    } else if (lengths[depth] != length) {
      rectangular = false;
    }
  }

  /** The elements, row-major. */
  List<JsonValue> values() {
    return values;
  }

  /** Number of elements. */
  int size() {
    return values.size();
  }

  /** Whether every array at one depth has one length and every scalar is at the deepest depth. */
  boolean isRectangular() {
    return rectangular && (scalarDepth < 0 || scalarDepth == depths);
  }

  /** The shape the nesting gives, e.g. {@code [2, 3]} for {@code [[1,2,3],[4,5,6]]}. */
  List<Long> shape() {
    List<Long> shape = new ArrayList<>(depths);
    for (int d = 0; d < depths; d++) {
      shape.add((long) Math.max(lengths[d], 0));
    }
    return shape;
  }

  /** Whether the data is one flat array of scalars (or an empty array). */
  boolean isFlat() {
    return depths == 1;
  }
}
