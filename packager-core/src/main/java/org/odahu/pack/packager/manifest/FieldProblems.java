package org.odahu.pack.packager.manifest;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.Collection;

/**
 * What is wrong with a field of a resource read into a tree, in words that never quote its value (a
 * Connection's may be a password) nor Jackson's (Java class names): the field's path, and the JSON
 * type expected and found.
 */
public final class FieldProblems {
  private FieldProblems() {}

  /**
   * Why {@code mapped}, at {@code path} in its resource, could not be read as the type Jackson was
   * asked for.
   *
   * @param e what Jackson threw
   * @param mapped the tree Jackson read
   * @param path where {@code mapped} is in the resource, e.g. {@code targets[0].connection}; empty
   *     for the resource itself
   */
  public static String of(IOException e, JsonNode mapped, String path) {
    StringBuilder field = new StringBuilder(path);
    JsonNode actual = mapped;
    if (e instanceof JsonMappingException mapping) {
      for (JsonMappingException.Reference reference : mapping.getPath()) {
        if (reference.getFieldName() != null) {
          field.append(field.isEmpty() ? "" : ".").append(reference.getFieldName());
          actual = actual.path(reference.getFieldName());
        } else {
          field.append('[').append(reference.getIndex()).append(']');
          actual = actual.path(reference.getIndex());
        }
      }
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return mismatch(field.toString(), typeOf(mismatch.getTargetType()), actual);
    }
    return (field.isEmpty() ? "" : field + ": ") + "invalid value (" + typeOf(actual) + ")";
  }

  /**
   * {@code path: expected EXPECTED, got TYPE}, or {@code path is missing (expected EXPECTED)}.
   *
   * @param expected what the field should be, e.g. {@code an array}
   */
  public static String mismatch(String path, String expected, JsonNode actual) {
    if (actual == null || actual.isMissingNode()) {
      return path + " is missing (expected " + expected + ")";
    }
    return (path.isEmpty() ? "" : path + ": ") + "expected " + expected + ", got " + typeOf(actual);
  }

  /** The JSON type of {@code node}, e.g. {@code a string}. */
  public static String typeOf(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT, POJO -> "an object";
      case ARRAY -> "an array";
      case STRING, BINARY -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case MISSING -> "nothing";
    };
  }

  /** The JSON type a value of {@code type} is read from. */
  private static String typeOf(Class<?> type) {
    if (CharSequence.class.isAssignableFrom(type)
        || type == char.class
        || type == Character.class) {
      return "a string";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "a boolean";
    }
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type.isArray()
        || Collection.class.isAssignableFrom(type)
        || ArrayNode.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }
}
