package org.odahu.pack.pydeps.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * pip's own configuration, read where a program starts (never deep in the library): pip.conf files
 * ({@code /etc/pip.conf}, {@code /etc/xdg/pip/pip.conf}, {@code ~/.pip/pip.conf}, {@code
 * ~/.config/pip/pip.conf}, then {@code PIP_CONFIG_FILE}), their {@code [global]} then {@code
 * [install]} sections, then the {@code PIP_*} variables, each overriding the previous; {@code
 * ~/.netrc} (or {@code NETRC}) for credentials; and, without pip's {@code cert}, requests' {@code
 * REQUESTS_CA_BUNDLE} or {@code CURL_CA_BUNDLE}, as pip reads them.
 */
public final class PipConfiguration {
  private PipConfiguration() {}

  /**
   * The sources pip would use with {@code environment} as its environment.
   *
   * @param environment the process environment ({@code System.getenv()} at the edge)
   * @param home the user's home directory
   * @param etc the system configuration directory ({@code /etc})
   */
  public static PackageSources read(Map<String, String> environment, Path home, Path etc) {
    Map<String, String> settings = new HashMap<>();
    List<Path> files = new ArrayList<>();
    files.add(etc.resolve("xdg/pip/pip.conf"));
    files.add(etc.resolve("pip.conf"));
    Optional<Path> named =
        Optional.ofNullable(environment.get("PIP_CONFIG_FILE"))
            .filter(f -> !f.isBlank())
            .map(Path::of);
    if (named.filter(Files::exists).isEmpty()) {
      // pip reads the user's files only when PIP_CONFIG_FILE names no existing file.
      files.add(home.resolve(".pip/pip.conf"));
      files.add(home.resolve(".config/pip/pip.conf"));
    }
    named.ifPresent(files::add);
    if ("/dev/null".equals(environment.get("PIP_CONFIG_FILE"))) {
      files.clear(); // pip: os.devnull as the configuration file means no files at all
    }
    for (Path file : files) {
      settings.putAll(readFile(file));
    }
    for (String key :
        List.of(
            "index-url",
            "extra-index-url",
            "find-links",
            "trusted-host",
            "no-index",
            "default-timeout",
            "timeout",
            "proxy",
            "cert")) {
      String variable = "PIP_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
      if (environment.containsKey(variable)) {
        settings.put(canonical(key), environment.get(variable));
      }
    }
    Path netrc =
        Optional.ofNullable(environment.get("NETRC")).map(Path::of).orElse(home.resolve(".netrc"));
    return new PackageSources(
        settings.getOrDefault("index-url", PackageSources.PYPI).strip(),
        words(settings.get("extra-index-url")),
        words(settings.get("find-links")),
        words(settings.get("trusted-host")),
        isTrue(settings.get("no-index")),
        Optional.empty(),
        Files.isRegularFile(netrc) ? Optional.of(netrc) : Optional.empty(),
        Duration.ofSeconds(seconds(settings.get("timeout"))),
        Proxies.fromEnvironment(environment, settings.get("proxy")),
        Optional.ofNullable(settings.get("cert"))
            .filter(cert -> !cert.isBlank())
            .map(cert -> new CertificateBundle(Path.of(cert.strip()), "PIP_CERT or pip.conf cert"))
            .or(() -> CertificateBundle.fromEnvironment(environment)));
  }

  /** The {@code [global]} then {@code [install]} keys of an INI file (later wins). */
  static Map<String, String> readFile(Path file) {
    Map<String, String> global = new HashMap<>();
    Map<String, String> install = new HashMap<>();
    if (!Files.isRegularFile(file)) {
      return global;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      return global;
    }
    Map<String, String> section = null;
    String key = null;
    for (String line : lines) {
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
        continue;
      }
      if (stripped.startsWith("[") && stripped.endsWith("]")) {
        String name = stripped.substring(1, stripped.length() - 1).strip();
        section = name.equals("global") ? global : name.equals("install") ? install : null;
        key = null;
      } else if (Character.isWhitespace(line.charAt(0)) && key != null && section != null) {
        section.merge(key, stripped, (a, b) -> a + "\n" + b); // a continued, multi-value key
      } else if (section != null) {
        int separator = indexOfSeparator(stripped);
        if (separator > 0) {
          key =
              canonical(
                  stripped
                      .substring(0, separator)
                      .strip()
                      .toLowerCase(Locale.ROOT)
                      .replace('_', '-'));
          section.put(key, stripped.substring(separator + 1).strip());
        }
      }
    }
    global.putAll(install);
    return global;
  }

  /**
   * The key of an option pip knows under two names: {@code --default-timeout} is {@code --timeout}
   * (pip.conf {@code default-timeout}, {@code PIP_DEFAULT_TIMEOUT}).
   */
  private static String canonical(String key) {
    return key.equals("default-timeout") ? "timeout" : key;
  }

  private static int indexOfSeparator(String line) {
    int equals = line.indexOf('=');
    int colon = line.indexOf(':');
    if (equals < 0) {
      return colon;
    }
    return colon < 0 || equals < colon ? equals : colon;
  }

  private static List<String> words(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return List.of(value.strip().split("\\s+", -1));
  }

  private static boolean isTrue(String value) {
    return value != null
        && List.of("1", "true", "yes", "on").contains(value.strip().toLowerCase(Locale.ROOT));
  }

  private static long seconds(String value) {
    try {
      // At most a day: a huge value would overflow the timeouts' milliseconds.
      return value == null
          ? 30
          : Math.clamp((long) Double.parseDouble(value.strip()), 1, 24 * 60 * 60);
    } catch (NumberFormatException e) {
      return 30;
    }
  }
}
