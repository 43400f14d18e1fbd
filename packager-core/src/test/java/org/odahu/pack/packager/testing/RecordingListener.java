package org.odahu.pack.packager.testing;

import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.packager.image.PackagingListener;

/** Collects every line a packager reports, to check what it says (and never says). */
public final class RecordingListener implements PackagingListener {
  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void step(String description) {
    lines.add(description);
  }

  @Override
  public synchronized void detail(String message) {
    lines.add(message);
  }

  @Override
  public synchronized void warning(String message) {
    lines.add(message);
  }

  /** What was reported so far, in order. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
