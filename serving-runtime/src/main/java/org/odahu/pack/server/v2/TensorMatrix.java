package org.odahu.pack.server.v2;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.SchemaField;

/**
 * Turns input tensors into the GPPI matrix, the same {@code columns} and rows of JSON values an
 * ODAHU request would give the model. Two forms:
 *
 * <ul>
 *   <li>one 2-D input {@code [rows, columns]}: its rows are the matrix; the column names come from
 *       its (or the request's) {@code columns} parameter, else from the model's schema when it has
 *       as many input columns, else there are none (the model gets {@code None}, as from an ODAHU
 *       request without {@code columns});
 *   <li>one 1-D input {@code [rows]} (or {@code [rows, 1]}) per column, named like the model's
 *       columns: the inputs' names are the column names, in the request's order.
 * </ul>
 */
final class TensorMatrix {
  private TensorMatrix() {}

  /**
   * The model input of {@code request}.
   *
   * @param schema the model's schema: the default column names, and the input names it accepts
   *     (any, when it lists none)
   * @throws InvalidInputException if the inputs form neither shape, or name unknown columns
   */
  static PredictionInput toInput(InferenceRequest request, ModelSchema schema) {
    List<InputTensor> inputs = request.inputs();
    InputTensor first = inputs.get(0);
    if (inputs.size() == 1 && first.shape().size() == 2 && !isOneColumn(first, request, schema)) {
      return matrix(first, request.columns(), schema);
    }
    return perColumn(inputs, schema);
  }

  /**
   * Whether a lone {@code [rows, 1]} input is one of the model's columns (by its name, with no
   * {@code columns} parameter), not a matrix of one unnamed column: it must keep its name.
   */
  private static boolean isOneColumn(
      InputTensor input, InferenceRequest request, ModelSchema schema) {
    return input.shape().get(1) == 1
        && input.columns() == null
        && request.columns() == null
        && schema.input().stream().anyMatch(field -> field.name().equals(input.name()));
  }

  private static PredictionInput matrix(
      InputTensor input, List<String> requestColumns, ModelSchema schema) {
    int rows = rows(input);
    int width = (int) (long) input.shape().get(1);
    if (width == 0) {
      throw new InvalidInputException(
          "Input \"" + input.name() + "\" has no columns: its shape is " + input.shape());
    }
    List<String> columns = input.columns() != null ? input.columns() : requestColumns;
    if (columns != null && columns.size() != width) {
      throw new InvalidInputException(
          "Input \""
              + input.name()
              + "\" has "
              + width
              + " column(s), its \"columns\" parameter names "
              + columns.size());
    }
    if (columns == null && schema.input().size() == width) {
      columns = schema.input().stream().map(SchemaField::name).toList();
    }
    StringBuilder data = new StringBuilder(input.values().size() * 8);
    data.append('[');
    for (int row = 0; row < rows; row++) {
      data.append(row == 0 ? "[" : ",[");
      for (int column = 0; column < width; column++) {
        if (column > 0) {
          data.append(',');
        }
        data.append(input.values().get(row * width + column).json());
      }
      data.append(']');
    }
    data.append(']');
    return input(columns, data);
  }

  private static PredictionInput perColumn(List<InputTensor> inputs, ModelSchema schema) {
    int rows = -1;
    for (InputTensor input : inputs) {
      List<Long> shape = input.shape();
      if (shape.size() != 1 && !(shape.size() == 2 && shape.get(1) == 1)) {
        throw new InvalidInputException(
            "Input \""
                + input.name()
                + "\" has shape "
                + shape
                + "; give either one 2-D input [rows, columns] or one 1-D input [rows] per column");
      }
      int length = rows(input);
      if (rows >= 0 && length != rows) {
        throw new InvalidInputException(
            "The inputs have different numbers of rows: \""
                + inputs.get(0).name()
                + "\" has "
                + rows
                + ", \""
                + input.name()
                + "\" has "
                + length);
      }
      rows = length;
    }
    List<String> columns = inputs.stream().map(InputTensor::name).toList();
    checkNames(columns, schema);
    StringBuilder data = new StringBuilder(rows * inputs.size() * 8);
    data.append('[');
    for (int row = 0; row < rows; row++) {
      data.append(row == 0 ? "[" : ",[");
      for (int column = 0; column < inputs.size(); column++) {
        if (column > 0) {
          data.append(',');
        }
        data.append(inputs.get(column).values().get(row).json());
      }
      data.append(']');
    }
    data.append(']');
    return input(columns, data);
  }

  /** Per-column inputs must be columns the model knows, and the required ones all there. */
  private static void checkNames(List<String> columns, ModelSchema schema) {
    if (schema.input().isEmpty()) {
      return;
    }
    Set<String> known = new LinkedHashSet<>();
    List<String> missing = new ArrayList<>();
    for (SchemaField field : schema.input()) {
      known.add(field.name());
      if (field.required() && !columns.contains(field.name())) {
        missing.add(field.name());
      }
    }
    for (String column : columns) {
      if (!known.contains(column)) {
        throw new InvalidInputException(
            "Input \""
                + column
                + "\" is not one of the model's inputs: "
                + String.join(", ", known)
                + " (or send one 2-D input [rows, columns])");
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException(
          "The model's required input(s) " + String.join(", ", missing) + " are missing");
    }
  }

  private static int rows(InputTensor input) {
    long rows = input.shape().get(0);
    if (rows == 0) {
      throw new InvalidInputException("Input \"" + input.name() + "\" has no rows");
    }
    if (rows > Integer.MAX_VALUE) {
      throw new InvalidInputException("Input \"" + input.name() + "\" has too many rows");
    }
    return (int) rows;
  }

  private static PredictionInput input(List<String> columns, StringBuilder data) {
    JsonText columnsJson = null;
    if (columns != null) {
      StringBuilder names = new StringBuilder("[");
      for (int i = 0; i < columns.size(); i++) {
        names.append(i == 0 ? "" : ",").append(JsonValue.quote(columns.get(i)));
      }
      columnsJson = JsonText.of(names.append(']').toString());
    }
    return PredictionInput.of(columnsJson, JsonText.of(data.toString()));
  }
}
