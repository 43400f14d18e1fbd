package org.odahu.pack.server.v2;

import java.math.BigInteger;
import java.util.Locale;

/**
 * The Open Inference Protocol's tensor data types, and which JSON values each accepts: {@code
 * true}/{@code false} for BOOL, integers in range for the INT and UINT types, numbers in range (or
 * {@code null}, a missing value) for the FP types, strings for BYTES. Values reach the model as the
 * client wrote them; nothing is coerced.
 */
public enum TensorType {
  BOOL,
  UINT8(BigInteger.ZERO, BigInteger.valueOf(0xff)),
  UINT16(BigInteger.ZERO, BigInteger.valueOf(0xffff)),
  UINT32(BigInteger.ZERO, BigInteger.valueOf(0xffff_ffffL)),
  UINT64(BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)),
  INT8(BigInteger.valueOf(Byte.MIN_VALUE), BigInteger.valueOf(Byte.MAX_VALUE)),
  INT16(BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE)),
  INT32(BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)),
  INT64(BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)),
  // The FP types by the smallest magnitude that rounds to infinity in them (round to nearest,
  // ties to even): 65519 is a float16's 65504, as numpy has it; 3.4028235e38, the shortest way to
  // write float32's largest value, is that value.
  FP16(65520),
  FP32(0x1.ffffffp127),
  FP64(Double.POSITIVE_INFINITY),
  BYTES;

  private final BigInteger min;
  private final BigInteger max;
  private final double overflow;

  TensorType() {
    this(null, null, 0);
  }

  TensorType(BigInteger min, BigInteger max) {
    this(min, max, 0);
  }

  TensorType(double overflow) {
    this(null, null, overflow);
  }

  TensorType(BigInteger min, BigInteger max, double overflow) {
    this.min = min;
    this.max = max;
    this.overflow = overflow;
  }

  /** The type named {@code name} (case-sensitive, as the protocol's strings are), or null. */
  public static TensorType parse(String name) {
    for (TensorType type : values()) {
      if (type.name().equals(name)) {
        return type;
      }
    }
    return null;
  }

  /** The type of a column whose {@code info()} type is {@code schemaType}. */
  public static TensorType ofSchemaType(String schemaType) {
    if (schemaType == null) {
      return BYTES;
    }
    return switch (schemaType.toLowerCase(Locale.ROOT)) {
      case "number" -> FP64;
      case "integer" -> INT64;
      case "boolean" -> BOOL;
      default -> BYTES;
    };
  }

  /** Whether this is one of the integer types. */
  boolean isInteger() {
    return min != null;
  }

  /** Whether this is one of the floating-point types. */
  boolean isFloatingPoint() {
    return overflow > 0;
  }

  /**
   * Why {@code value} cannot be an element of a tensor of this type, or null when it can.
   *
   * @param value a scalar JSON value
   */
  String refusal(JsonValue value) {
    return switch (value.kind()) {
      case TRUE, FALSE -> this == BOOL ? null : "a boolean";
      case STRING -> this == BYTES ? null : "a string";
      case NULL -> isFloatingPoint() ? null : "null";
      case INTEGER -> integerRefusal(value.json());
      case FLOAT -> floatRefusal(value.json());
    };
  }

  private String integerRefusal(String json) {
    if (isInteger()) {
      // Up to 18 digits a long holds it: the common case, without allocating.
      BigInteger number =
          json.length() <= 18 ? BigInteger.valueOf(Long.parseLong(json)) : new BigInteger(json);
      return number.compareTo(min) < 0 || number.compareTo(max) > 0 ? "out of range" : null;
    }
    return isFloatingPoint() ? magnitudeRefusal(json) : "a number";
  }

  private String floatRefusal(String json) {
    if (isFloatingPoint()) {
      return magnitudeRefusal(json);
    }
    return isInteger() ? "not an integer" : "a number";
  }

  private String magnitudeRefusal(String json) {
    double number = Double.parseDouble(json);
    return Math.abs(number) >= overflow ? "out of range" : null;
  }
}
