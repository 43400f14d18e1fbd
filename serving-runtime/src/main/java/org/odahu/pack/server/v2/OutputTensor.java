package org.odahu.pack.server.v2;

import java.util.List;

/**
 * One output tensor of an inference response.
 *
 * @param name its name: an output column of the model, or {@code prediction} for the whole answer
 * @param datatype its datatype
 * @param shape its dimensions
 * @param data its elements, row-major
 */
record OutputTensor(String name, TensorType datatype, List<Long> shape, List<JsonValue> data) {
  OutputTensor {
    shape = List.copyOf(shape);
    data = List.copyOf(data);
  }
}
