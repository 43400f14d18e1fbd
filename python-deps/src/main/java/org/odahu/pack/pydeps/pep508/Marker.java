package org.odahu.pack.pydeps.pep508;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.odahu.pack.pydeps.pep440.InvalidVersionException;
import org.odahu.pack.pydeps.pep440.Specifier;
import org.odahu.pack.pydeps.pep440.Version;

/**
 * A PEP 508 environment marker such as {@code python_version < "3.10" and sys_platform == "linux"},
 * evaluated against a {@link MarkerEnvironment} (the target's) and a set of extras.
 */
public final class Marker {
  private static final Map<String, String> LEGACY_NAMES =
      Map.of(
          "os.name", "os_name",
          "sys.platform", "sys_platform",
          "platform.version", "platform_version",
          "platform.machine", "platform_machine",
          "platform.python_implementation", "platform_python_implementation",
          "python_implementation", "platform_python_implementation");

  private final String text;
  private final Node root;

  private Marker(String text, Node root) {
    this.text = text;
    this.root = root;
  }

  /** Parses a marker, or throws {@link InvalidRequirementException} naming the problem. */
  public static Marker parse(String text) {
    MarkerTokens tokens = new MarkerTokens(text);
    Node root = new Parser(tokens).or();
    if (tokens.peek() != null) {
      throw tokens.error("unexpected '" + tokens.peek() + "'");
    }
    return new Marker(text.strip(), root);
  }

  /**
   * Whether the marker holds in {@code environment} for a requirement of a distribution installed
   * with {@code extras}: true if it holds with no extra or with any one of them.
   */
  public boolean evaluate(MarkerEnvironment environment, Set<String> extras) {
    if (root.evaluate(environment, "")) {
      return true;
    }
    return extras.stream().anyMatch(extra -> root.evaluate(environment, extra));
  }

  /** Whether the marker mentions the {@code extra} variable. */
  public boolean mentionsExtra() {
    return root.mentionsExtra();
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Marker marker && marker.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  private sealed interface Node permits And, Or, Compare {
    boolean evaluate(MarkerEnvironment environment, String extra);

    boolean mentionsExtra();
  }

  private record And(Node left, Node right) implements Node {
    @Override
    public boolean evaluate(MarkerEnvironment environment, String extra) {
      return left.evaluate(environment, extra) && right.evaluate(environment, extra);
    }

    @Override
    public boolean mentionsExtra() {
      return left.mentionsExtra() || right.mentionsExtra();
    }
  }

  private record Or(Node left, Node right) implements Node {
    @Override
    public boolean evaluate(MarkerEnvironment environment, String extra) {
      return left.evaluate(environment, extra) || right.evaluate(environment, extra);
    }

    @Override
    public boolean mentionsExtra() {
      return left.mentionsExtra() || right.mentionsExtra();
    }
  }

  /** {@code left op right}, where a side is a variable (no quotes) or a quoted string. */
  private record Compare(String left, boolean leftVariable, String op, String right)
      implements Node {
    @Override
    public boolean evaluate(MarkerEnvironment environment, String extra) {
      String variable = leftVariable ? left : right;
      String value = variable.equals("extra") ? extra : environment.get(variable);
      String lhs = leftVariable ? value : left;
      String rhs = leftVariable ? right : value;
      if (variable.equals("extra")) {
        lhs = ProjectNames.normalize(lhs);
        rhs = ProjectNames.normalize(rhs);
      }
      return compare(lhs, op, rhs);
    }

    @Override
    public boolean mentionsExtra() {
      return (leftVariable ? left : right).equals("extra");
    }
  }

  /** PEP 508: a version comparison when both sides are versions, else Python's on strings. */
  static boolean compare(String lhs, String op, String rhs) {
    if (op.equals("in") || op.equals("not in")) {
      return rhs.contains(lhs) == op.equals("in");
    }
    Optional<Version> version = Version.tryParse(lhs);
    if (version.isPresent()) {
      try {
        return new Specifier(op, rhs).contains(version.get());
      } catch (InvalidVersionException notAVersion) {
        // falls back to comparing strings, as PEP 508 says
      }
    }
    int c = lhs.compareTo(rhs);
    return switch (op) {
      case "==", "===" -> c == 0;
      case "!=" -> c != 0;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      default -> throw new InvalidRequirementException("Cannot compare strings with " + op);
    };
  }

  /** Recursive descent over {@code or := and ('or' and)*; and := atom ('and' atom)*}. */
  private record Parser(MarkerTokens tokens) {
    Node or() {
      Node node = and();
      while ("or".equals(tokens.peek())) {
        tokens.next();
        node = new Or(node, and());
      }
      return node;
    }

    Node and() {
      Node node = atom();
      while ("and".equals(tokens.peek())) {
        tokens.next();
        node = new And(node, atom());
      }
      return node;
    }

    Node atom() {
      if ("(".equals(tokens.peek())) {
        tokens.next();
        Node inner = or();
        tokens.expect(")");
        return inner;
      }
      String left = tokens.value();
      String op = tokens.operator();
      String right = tokens.value();
      boolean leftVariable = !MarkerTokens.isQuoted(left);
      boolean rightVariable = !MarkerTokens.isQuoted(right);
      if (leftVariable == rightVariable) {
        throw tokens.error("compare a variable with a quoted string");
      }
      return new Compare(
          leftVariable ? variable(left) : MarkerTokens.unquote(left),
          leftVariable,
          op,
          rightVariable ? variable(right) : MarkerTokens.unquote(right));
    }

    private String variable(String name) {
      String canonical = LEGACY_NAMES.getOrDefault(name, name);
      if (!canonical.equals("extra") && !MarkerEnvironment.VARIABLES.contains(canonical)) {
        throw tokens.error("unknown variable '" + name + "'");
      }
      return canonical;
    }
  }

  /** The tokens of a marker: parentheses, operators, names and quoted strings. */
  static final class MarkerTokens {
    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private int position;

    MarkerTokens(String text) {
      this.text = text;
      int i = 0;
      while (i < text.length()) {
        i = scan(i);
      }
    }

    private int scan(int i) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        return i + 1;
      }
      if (c == '(' || c == ')') {
        tokens.add(String.valueOf(c));
        return i + 1;
      }
      if (c == '"' || c == '\'') {
        int end = text.indexOf(c, i + 1);
        if (end < 0) {
          throw error("unterminated string");
        }
        tokens.add(text.substring(i, end + 1));
        return end + 1;
      }
      int end = i;
      boolean operator = "<>=!~".indexOf(c) >= 0;
      while (end < text.length()
          && !Character.isWhitespace(text.charAt(end))
          && "()\"'".indexOf(text.charAt(end)) < 0
          && ("<>=!~".indexOf(text.charAt(end)) >= 0) == operator) {
        end++;
      }
      tokens.add(text.substring(i, end));
      return end;
    }

    String peek() {
      return position < tokens.size() ? tokens.get(position) : null;
    }

    String next() {
      if (position >= tokens.size()) {
        throw error("unexpected end");
      }
      return tokens.get(position++);
    }

    void expect(String token) {
      if (!token.equals(next())) {
        throw error("expected '" + token + "'");
      }
    }

    String value() {
      String token = next();
      if (token.equals("(") || token.equals(")") || "<>=!~".indexOf(token.charAt(0)) >= 0) {
        throw error("expected a variable or a quoted string, got '" + token + "'");
      }
      return token;
    }

    String operator() {
      String token = next();
      if (token.equals("not")) {
        expect("in");
        return "not in";
      }
      if (Set.of("<", "<=", "==", "!=", ">=", ">", "~=", "===", "in").contains(token)) {
        return token;
      }
      throw error("expected a comparison operator, got '" + token + "'");
    }

    static boolean isQuoted(String token) {
      return token.startsWith("\"") || token.startsWith("'");
    }

    static String unquote(String token) {
      return token.substring(1, token.length() - 1);
    }

    InvalidRequirementException error(String why) {
      return new InvalidRequirementException("Invalid marker '" + text.strip() + "': " + why);
    }
  }
}
