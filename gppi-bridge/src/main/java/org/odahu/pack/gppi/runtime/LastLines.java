package org.odahu.pack.gppi.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines a worker wrote, logged or dropped, for crash reports: the first {@link #MAX_BYTES}
 * bytes of each, in buffers allocated once, so that a flood of output costs no memory. Not
 * thread-safe.
 */
final class LastLines {
  static final int MAX_BYTES = 1024;

  private final byte[][] lines;
  private final int[] lengths;
  private int next;
  private int count;

  LastLines(int capacity) {
    this.lines = new byte[capacity][MAX_BYTES];
    this.lengths = new int[capacity];
  }

  void add(byte[] line, int length) {
    int kept = Math.min(length, MAX_BYTES);
    System.arraycopy(line, 0, lines[next], 0, kept);
    lengths[next] = kept;
    next = (next + 1) % lines.length;
    count = Math.min(count + 1, lines.length);
  }

  /** Oldest first. */
  List<String> toList() {
    List<String> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int slot = (next - count + i + lines.length) % lines.length;
      list.add(new String(lines[slot], 0, lengths[slot], StandardCharsets.UTF_8));
    }
    return list;
  }
}
