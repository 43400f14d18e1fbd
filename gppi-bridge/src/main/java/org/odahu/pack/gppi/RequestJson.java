package org.odahu.pack.gppi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.util.regex.Pattern;

/**
 * JSON that clients and users send: parsers that refuse what a model's worker could not decode, and
 * error messages that describe the input, not the parser.
 */
public final class RequestJson {
  /**
   * The deepest nesting read. The worker decodes what reaches the model with Python's {@code
   * json.loads}, which fails past ~990 levels (the interpreter's recursion limit, 1,000 frames,
   * less its own), so a body the parser let through at 1,000 (Jackson's default) failed there as if
   * the model had raised.
   */
  public static final int MAX_DEPTH = 512;

  /**
   * Strings of any length: what bounds them is the body or row they are in (a 256 MiB row may hold
   * one string), not Jackson's default of 20,000,000 characters.
   */
  public static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(Integer.MAX_VALUE)
          .build();

  /** Jackson's advice on its own switches: {@code : enable `JsonReadFeature.X` to allow}. */
  private static final Pattern SWITCH = Pattern.compile(": enable `[^`]*` to allow");

  /** Jackson's word on its own switches, another way: {@code (not recognized as one since ...)}. */
  private static final Pattern FEATURE =
      Pattern.compile(
          "\\s*\\(not recognized as one since Feature '[^']*' not enabled for parser\\)");

  /** Where a limit comes from: {@code , from `StreamReadConstraints.getMaxNestingDepth()`}. */
  private static final Pattern CONSTRAINT = Pattern.compile(", from `[^`]*`");

  /** A location with its source: {@code [Source: REDACTED (...); line: 1, column: 9]}. */
  private static final Pattern SOURCE =
      Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)]", Pattern.DOTALL);

  private RequestJson() {}

  /** A factory of parsers with {@link #CONSTRAINTS}. */
  public static JsonFactory factory() {
    return factory(new JsonFactoryBuilder());
  }

  /** The factory {@code builder} makes, with {@link #CONSTRAINTS}. */
  public static JsonFactory factory(JsonFactoryBuilder builder) {
    return builder.streamReadConstraints(CONSTRAINTS).build();
  }

  /**
   * What is wrong with the input {@code failure} is about, as Jackson says it but without its
   * advice on its own settings and class names, and without any of the input it may quote: {@code
   * Non-standard token 'NaN'}, {@code Unexpected close marker '}': expected ']' (for Array starting
   * at line 1, column 9)}. With {@code at}, the place follows: {@code ... at line 3, column 1}.
   */
  public static String describe(JacksonException failure, boolean at) {
    String message = failure.getOriginalMessage();
    message = SWITCH.matcher(message).replaceAll("");
    message = FEATURE.matcher(message).replaceAll("");
    message = CONSTRAINT.matcher(message).replaceAll("");
    message = SOURCE.matcher(message).replaceAll("line $1, column $2");
    JsonLocation location = failure.getLocation();
    if (at && location != null && location.getLineNr() > 0) {
      message += " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
    return message;
  }
}
