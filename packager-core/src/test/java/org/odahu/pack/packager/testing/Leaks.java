package org.odahu.pack.packager.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

/** Checks that a secret appears nowhere a user or a log could see it. */
public final class Leaks {
  private Leaks() {}

  /**
   * Fails if {@code secret} is in {@code failure}'s messages or stack traces (causes included), in
   * what {@code listener} recorded, or in {@code logs}.
   */
  public static void assertNotLeaked(
      String secret, Throwable failure, RecordingListener listener, String... logs) {
    StringBuilder everything = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      everything.append(t).append(List.of(t.getStackTrace()));
    }
    listener.lines().forEach(everything::append);
    for (String log : logs) {
      everything.append(log);
    }
    assertFalse(everything.toString().contains(secret), "the password leaked");
  }
}
