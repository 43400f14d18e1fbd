package org.odahu.pack.pydeps.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Credentials from a {@code .netrc} file: {@code machine HOST login USER password SECRET}. */
final class Netrc {
  /** One machine's credentials. */
  record Login(String username, String password) {
    /** The user and a hidden password; a login without a password is a token, hidden whole. */
    @Override
    public String toString() {
      return password.isEmpty() ? "****" : username + ":****";
    }
  }

  private final Map<String, Login> machines;

  private Netrc(Map<String, Login> machines) {
    this.machines = Map.copyOf(machines);
  }

  static Netrc empty() {
    return new Netrc(Map.of());
  }

  /** Reads {@code file}; an unreadable file gives no credentials. */
  static Netrc read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      return empty();
    }
    Map<String, Login> machines = new HashMap<>();
    List<String> tokens = List.of(text.strip().split("\\s+", -1));
    String machine = null;
    String login = "";
    String password = "";
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      String value = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
      switch (token) {
        case "machine", "default" -> {
          put(machines, machine, login, password);
          machine = token.equals("default") ? "" : value;
          login = "";
          password = "";
          i += token.equals("default") ? 0 : 1;
        }
        case "login" -> {
          login = value;
          i++;
        }
        case "password" -> {
          password = value;
          i++;
        }
        default -> {}
      }
    }
    put(machines, machine, login, password);
    return new Netrc(machines);
  }

  private static void put(
      Map<String, Login> machines, String machine, String login, String password) {
    if (machine != null) {
      machines.putIfAbsent(machine, new Login(login, password));
    }
  }

  /** The credentials for {@code host} (or the default entry). */
  Optional<Login> forHost(String host) {
    return Optional.ofNullable(machines.get(host)).or(() -> Optional.ofNullable(machines.get("")));
  }
}
