package org.odahu.pack.server.v2;

import java.util.List;
import org.odahu.pack.gppi.InvalidInputException;

/**
 * One input tensor of an inference request, checked: its data holds as many elements as its shape
 * says (flat, or nested exactly as the shape), each a value of its datatype.
 *
 * @param name the tensor's name
 * @param datatype its datatype
 * @param shape its dimensions
 * @param columns the names of its columns from its {@code columns} parameter, or null
 * @param values its elements, row-major
 */
record InputTensor(
    String name,
    TensorType datatype,
    List<Long> shape,
    List<String> columns,
    List<JsonValue> values) {

  InputTensor {
    shape = List.copyOf(shape);
    values = List.copyOf(values);
    columns = columns == null ? null : List.copyOf(columns);
  }

  /**
   * A checked tensor.
   *
   * @throws InvalidInputException if the data disagrees with the shape or the datatype
   */
  static InputTensor of(
      String name, TensorType datatype, List<Long> shape, List<String> columns, TensorData data) {
    long elements = 1;
    for (long dimension : shape) {
      if (dimension != 0 && elements > Long.MAX_VALUE / dimension) {
        throw new InvalidInputException("Input \"" + name + "\": its shape is too large");
      }
      elements *= dimension;
    }
    if (!data.isFlat() && !(data.isRectangular() && data.shape().equals(shape))) {
      throw new InvalidInputException(
          "Input \""
              + name
              + "\": the nesting of its data does not match its shape "
              + shape
              + "; give the data flat (row-major) or nested exactly as the shape");
    }
    if (elements != data.size()) {
      throw new InvalidInputException(
          "Input \""
              + name
              + "\": its shape "
              + shape
              + " holds "
              + elements
              + " element(s), its data has "
              + data.size());
    }
    for (int i = 0; i < data.size(); i++) {
      JsonValue value = data.values().get(i);
      String refusal = datatype.refusal(value);
      if (refusal != null) {
        throw new InvalidInputException(
            "Input \""
                + name
                + "\" has datatype "
                + datatype
                + ", but its element "
                + i
                + " ("
                + value.shown()
                + ") is "
                + refusal);
      }
    }
    return new InputTensor(name, datatype, shape, columns, data.values());
  }
}
