package org.odahu.pack.gppi;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Options that cannot be used together, every problem at once. Each {@link Problem} names the
 * option it is about, so that a front end can name it the way its users set it (a flag, an
 * environment variable) with {@link #renamed}.
 */
public final class InvalidOptionsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** One invalid option: its name and what is wrong with it, e.g. {@code must be positive}. */
  public record Problem(String option, String message) {
    @Override
    public String toString() {
      return option + " " + message;
    }
  }

  @SuppressWarnings("serial") // an immutable list of records
  private final List<Problem> problems;

  public InvalidOptionsException(List<Problem> problems) {
    super(String.join("; ", problems.stream().map(Problem::toString).toList()));
    this.problems = List.copyOf(problems);
  }

  /** The problems, in the order they were found. */
  public List<Problem> problems() {
    return problems;
  }

  /** The same problems with each option's name mapped by {@code rename}. */
  public List<Problem> renamed(UnaryOperator<String> rename) {
    return problems.stream().map(p -> new Problem(rename.apply(p.option()), p.message())).toList();
  }

  /** Throws an {@link InvalidOptionsException} if {@code problems} is not empty. */
  public static void throwIfAny(List<Problem> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(problems);
    }
  }
}
