package org.odahu.pack.server.v2;

import java.util.List;

/**
 * An Open Inference Protocol inference request, parsed and checked.
 *
 * @param id the client's {@code id}, or null
 * @param inputs the input tensors, at least one, with distinct names
 * @param outputs the names of the requested outputs, in order; empty: all
 * @param columns column names from the request's {@code columns} parameter, or null
 */
record InferenceRequest(
    String id, List<InputTensor> inputs, List<String> outputs, List<String> columns) {
  InferenceRequest {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    columns = columns == null ? null : List.copyOf(columns);
  }
}
