package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;

/**
 * No two packages of the project's main code depend on each other, directly or around a loop, so
 * every module and package can be read, tested and replaced from the bottom up. Dependencies are
 * read from the sources: every {@code org.odahu.pack...} type named outside comments.
 */
class PackageCyclesTest {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
  private static final Pattern REFERENCE =
      Pattern.compile("\\borg\\.odahu\\.pack(?:\\.[a-z][a-z0-9_]*)+(?=\\.[A-Z])");
  private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

  /**
   * Cycles in code other engineers own, which this test tolerates until they are cut (a new cycle,
   * or one that grows, fails).
   */
  private static final Set<Set<String>> TOLERATED =
      Set.of(
          // ModelBackends (gppi) creates the pool and the CPython runtime, which use gppi's types.
          Set.of(
              "org.odahu.pack.gppi",
              "org.odahu.pack.gppi.cpython",
              "org.odahu.pack.gppi.pool",
              "org.odahu.pack.gppi.runtime"));

  @Test
  void thePackageGraphHasNoCycles() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(Examples.projectRoot())) {
      files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/"))
          .filter(p -> !p.toString().contains("/target/"))
          .forEach(file -> addDependencies(graph, file));
    }
    Set<Set<String>> cycles = new HashSet<>(cycles(graph));
    cycles.removeAll(TOLERATED);
    assertEquals(Set.of(), cycles, "packages that depend on each other");
  }

  private static void addDependencies(Map<String, Set<String>> graph, Path file) {
    String text;
    try {
      text = COMMENT.matcher(Files.readString(file)).replaceAll("");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher declared = PACKAGE.matcher(text);
    if (!declared.find()) {
      return;
    }
    String from = declared.group(1);
    Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
    Matcher reference = REFERENCE.matcher(text.substring(declared.end()));
    while (reference.find()) {
      if (!reference.group().equals(from)) {
        to.add(reference.group());
      }
    }
  }

  /** The strongly connected components with more than one package (Tarjan). */
  private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    List<Set<String>> components = new ArrayList<>();
    for (String node : graph.keySet()) {
      if (!index.containsKey(node)) {
        connect(node, graph, index, low, stack, components);
      }
    }
    return components.stream().filter(c -> c.size() > 1).toList();
  }

  private static void connect(
      String node,
      Map<String, Set<String>> graph,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      List<Set<String>> components) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, low, stack, components);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        component.add(member);
      } while (!member.equals(node));
      components.add(component);
    }
  }
}
