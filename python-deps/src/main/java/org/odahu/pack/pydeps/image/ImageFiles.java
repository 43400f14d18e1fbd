package org.odahu.pack.pydeps.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * An {@link ImageRoot} seen as a container sees it: links are followed (an absolute target from the
 * image's root, {@code ..} stopping at the root), never out of the image.
 */
public final class ImageFiles {
  private static final int MAX_LINKS = 40;

  private final ImageRoot root;

  /** The file system of {@code root}. */
  public ImageFiles(ImageRoot root) {
    this.root = root;
  }

  /** The path {@code path} leads to once every link is followed, or empty if nothing is there. */
  public Optional<String> resolve(String path) {
    try {
      return resolve(path, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<String> resolve(String path, int depth) throws IOException {
    Deque<String> pending = new ArrayDeque<>(components(path));
    List<String> resolved = new ArrayList<>();
    int links = depth;
    while (!pending.isEmpty()) {
      String part = pending.removeFirst();
      if (part.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      String current = join(resolved) + "/" + part;
      Optional<ImageEntry> entry = root.entry(current);
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      if (entry.get().kind() == ImageEntry.Kind.SYMLINK) {
        if (++links > MAX_LINKS) {
          return Optional.empty();
        }
        String target = entry.get().linkTarget();
        List<String> replacement = components(target);
        for (int i = replacement.size() - 1; i >= 0; i--) {
          pending.addFirst(replacement.get(i));
        }
        if (target.startsWith("/")) {
          resolved.clear();
        }
        continue;
      }
      if (!pending.isEmpty() && entry.get().kind() != ImageEntry.Kind.DIRECTORY) {
        return Optional.empty();
      }
      resolved.add(part);
    }
    return Optional.of(resolved.isEmpty() ? "/" : join(resolved));
  }

  private static List<String> components(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/", -1)) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return parts;
  }

  private static String join(List<String> parts) {
    return parts.isEmpty() ? "" : "/" + String.join("/", parts);
  }

  /** Whether {@code path} leads to a regular file. */
  public boolean isFile(String path) {
    return kind(path) == ImageEntry.Kind.FILE;
  }

  /** Whether {@code path} leads to a directory. */
  public boolean isDirectory(String path) {
    return kind(path) == ImageEntry.Kind.DIRECTORY;
  }

  private ImageEntry.Kind kind(String path) {
    try {
      Optional<String> real = resolve(path);
      if (real.isEmpty()) {
        return null;
      }
      return real.get().equals("/")
          ? ImageEntry.Kind.DIRECTORY
          : root.entry(real.get()).map(ImageEntry::kind).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names in directory {@code path}, or none if it is not a directory. */
  public List<String> list(String path) {
    if (!isDirectory(path)) {
      return List.of();
    }
    try {
      return root.list(resolve(path).orElseThrow());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Up to {@code maxBytes} of file {@code path}, or empty if it is not a regular file. */
  public Optional<byte[]> read(String path, int maxBytes) {
    if (!isFile(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(root.read(resolve(path).orElseThrow(), maxBytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text (UTF-8) of file {@code path} up to 4 MiB, or empty. */
  public Optional<String> text(String path) {
    return read(path, 4 << 20).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }
}
