package org.odahu.pack.gppi;

import java.util.List;

/**
 * What a model's {@code info()} returns: its input and output columns.
 *
 * @param input the input columns, in order
 * @param output the output columns, in order
 */
public record ModelSchema(List<SchemaField> input, List<SchemaField> output) {
  public ModelSchema {
    input = List.copyOf(input);
    output = List.copyOf(output);
  }
}
