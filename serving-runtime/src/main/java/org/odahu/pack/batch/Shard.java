package org.odahu.pack.batch;

import java.util.Map;

/**
 * Which part of the input one process predicts: shard {@code index} of {@code count}. The {@code
 * count} processes together predict every row exactly once, and the same file always gives the same
 * slices:
 *
 * <ul>
 *   <li>a line-based file (JSON Lines, CSV) is cut into {@code count} byte ranges of equal size,
 *       and a row belongs to the shard whose range holds its first byte, so no process reads the
 *       whole file;
 *   <li>ODAHU's JSON is cut by row index: of its {@code n} rows, shard {@code I} predicts {@code
 *       [floor(n*I/N), floor(n*(I+1)/N))}, so shards differ by one row at most, whatever the row
 *       sizes (each process first counts the rows).
 * </ul>
 *
 * @param index this process's shard, from 0
 * @param count how many shards the input is cut into
 */
public record Shard(int index, int count) {
  /** The whole input: one process. */
  public static final Shard WHOLE = new Shard(0, 1);

  /** The variable Kubernetes sets in each pod of an Indexed Job: the pod's completion index. */
  public static final String JOB_COMPLETION_INDEX = "JOB_COMPLETION_INDEX";

  /** The variable that gives the shard count to pods of an Indexed Job (its completions). */
  public static final String SHARDS_VARIABLE = "ODAHU_SHARDS";

  public Shard {
    if (count < 1) {
      throw new IllegalArgumentException("the shard count must be at least 1, got " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "the shard index must be between 0 and " + (count - 1) + ", got " + index);
    }
  }

  /**
   * {@code I/N}, e.g. {@code 0/4}.
   *
   * @throws IllegalArgumentException if it is not two whole numbers or not a shard
   */
  public static Shard parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("expected I/N (e.g. 0/4), got '" + text + "'");
    }
    try {
      return new Shard(
          Integer.parseInt(text.substring(0, slash).strip()),
          Integer.parseInt(text.substring(slash + 1).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected I/N (e.g. 0/4), got '" + text + "'", e);
    }
  }

  /**
   * The shard of a pod of a Kubernetes Indexed Job: {@value #JOB_COMPLETION_INDEX}, of {@code
   * count} (an option) or else {@value #SHARDS_VARIABLE}; {@link #WHOLE} outside such a Job.
   *
   * @throws IllegalArgumentException if the index is set without a count, or either is not a number
   */
  public static Shard fromEnvironment(Map<String, String> environment, Integer count) {
    String shards = environment.get(SHARDS_VARIABLE);
    // A wrong count is a mistake even outside a Job, where it would cut nothing.
    Integer fromVariable =
        count == null && shards != null && !shards.isBlank()
            ? variable(SHARDS_VARIABLE, shards, 1)
            : null;
    String index = environment.get(JOB_COMPLETION_INDEX);
    if (index == null || index.isBlank()) {
      return WHOLE;
    }
    Integer total = count != null ? count : fromVariable;
    if (total == null) {
      throw new IllegalArgumentException(
          JOB_COMPLETION_INDEX
              + " is set ("
              + index
              + ") but not the number of shards: give --shards N or set "
              + SHARDS_VARIABLE
              + " to the Job's completions");
    }
    int shard = variable(JOB_COMPLETION_INDEX, index, 0);
    if (shard >= total) {
      throw new IllegalArgumentException(
          JOB_COMPLETION_INDEX
              + " ("
              + shard
              + ") must be below the number of shards ("
              + total
              + ")");
    }
    return new Shard(shard, total);
  }

  /**
   * The whole number of at least {@code least} that the environment variable {@code name} holds.
   */
  private static int variable(String name, String value, int least) {
    try {
      int number = Integer.parseInt(value.strip());
      if (number >= least) {
        return number;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(
        "$" + name + " must be a whole number of at least " + least + ", got '" + value + "'");
  }

  /** Whether this is the whole input. */
  public boolean isWhole() {
    return count == 1;
  }

  /** Where this shard's range starts in {@code size} bytes, or rows. */
  public long start(long size) {
    return boundary(size, index);
  }

  /** Where this shard's range ends (exclusive) in {@code size} bytes, or rows. */
  public long end(long size) {
    return boundary(size, index + 1);
  }

  /** {@code floor(size * shard / count)} without overflow. */
  private long boundary(long size, int shard) {
    return size / count * shard + size % count * shard / count;
  }

  /**
   * {@code name} with this shard in it: {@code results.json} becomes {@code results-2-of-4.json};
   * unchanged for the whole input.
   */
  public String fileName(String name) {
    if (isWhole()) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String suffix = "-" + index + "-of-" + count;
    return dot <= 0 ? name + suffix : name.substring(0, dot) + suffix + name.substring(dot);
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
