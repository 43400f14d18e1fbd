package org.odahu.pack.pydeps.testing;

import static org.odahu.pack.pydeps.testing.WheelBuilder.wheel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.odahu.pack.pydeps.cache.DependencyCache;

/**
 * The packages the tests' index holds. For a CPython 3.11 x86_64 glibc 2.36 target:
 *
 * <ul>
 *   <li>{@code alpha 1.0} needs {@code beta>=2}, {@code gamma} only below Python 3.10, {@code
 *       delta} from 3.10, and {@code fastmath} with its {@code fast} extra;
 *   <li>{@code beta} 1.0, 2.0 and a yanked 2.1; {@code gamma}; {@code delta} with a console script
 *       and a {@code #!python} script;
 *   <li>{@code fastmath 1.0}: a compiled extension tagged {@code
 *       cp311-cp311-manylinux_2_17_x86_64}, and higher decoys for Python 3.9, glibc 2.39, musl,
 *       aarch64, Windows, {@code linux_x86_64} and Python 2, which raise if ever imported;
 *   <li>{@code epsilon} 2.0 needs {@code beta<1.5}, 1.0 does not (backtracking); {@code modern} 1.0
 *       requires Python 3.12, 0.9 does not;
 *   <li>{@code onlysdist} (a source archive only), {@code oldpy} (a cp39 wheel only), {@code
 *       conflict-a} (needs {@code beta<2}).
 * </ul>
 */
public final class TestPackages {
  /** The decoys: a higher version each, which must never be chosen. */
  public static final java.util.List<String> DECOY_TAGS =
      java.util.List.of(
          "1.1:cp39-cp39-manylinux_2_17_x86_64",
          "1.2:cp311-cp311-manylinux_2_39_x86_64",
          "1.3:cp311-cp311-musllinux_1_1_x86_64",
          "1.4:cp311-cp311-manylinux_2_17_aarch64",
          "1.5:cp311-cp311-win_amd64",
          "1.6:cp311-cp311-linux_x86_64",
          "2.0:py2-none-any");

  private TestPackages() {}

  /** Writes every package into {@code directory}, compiling fastmath with {@code python}. */
  public static void write(Path directory, String python) throws IOException, InterruptedException {
    wheel("alpha", "1.0")
        .file(
            "alpha/__init__.py", "import beta\n\ndef hello():\n    return 'alpha+' + beta.VALUE\n")
        .requires("beta>=2")
        .requires("gamma ; python_version < \"3.10\"")
        .requires("delta ; python_version >= \"3.10\"")
        .requires("fastmath ; extra == \"fast\"")
        .extra("fast")
        .write(directory);
    for (String version : new String[] {"1.0", "2.0", "2.1"}) {
      wheel("beta", version).file("beta.py", "VALUE = 'beta" + version + "'\n").write(directory);
    }
    wheel("gamma", "1.0")
        .file("gamma.py", "raise ImportError('gamma is for Python < 3.10')\n")
        .write(directory);
    wheel("delta", "1.0")
        .file("delta/__init__.py", "")
        .file("delta/cli.py", "def main():\n    print('delta says hi')\n    return 0\n")
        .file(
            "delta-1.0.data/scripts/delta-raw",
            "#!python\nimport delta\nprint('raw', delta.__name__)\n"
                .getBytes(StandardCharsets.UTF_8),
            0755)
        .entryPoints("[console_scripts]\ndelta-hello = delta.cli:main\n")
        .write(directory);
    Path build = Files.createTempDirectory("fastmath");
    try {
      Path library = CExtension.build(python, build);
      wheel("fastmath", "1.0")
          .tag("cp311-cp311-manylinux_2_17_x86_64")
          .file(library.getFileName().toString(), Files.readAllBytes(library), 0755)
          .write(directory);
    } finally {
      DependencyCache.deleteTree(build);
    }
    for (String decoy : DECOY_TAGS) {
      String[] versionTag = decoy.split(":", -1);
      wheel("fastmath", versionTag[0])
          .tag(versionTag[1])
          .file("fastmath.py", "raise ImportError('decoy fastmath " + decoy + " was installed')\n")
          .write(directory);
    }
    wheel("epsilon", "2.0").file("epsilon.py", "V = 2\n").requires("beta<1.5").write(directory);
    wheel("epsilon", "1.0").file("epsilon.py", "V = 1\n").write(directory);
    wheel("modern", "1.0").file("modern.py", "V = 1\n").requiresPython(">=3.12").write(directory);
    wheel("modern", "0.9").file("modern.py", "V = 0.9\n").write(directory);
    Files.writeString(directory.resolve("onlysdist-1.0.tar.gz"), "not really a tarball");
    wheel("oldpy", "1.0")
        .tag("cp39-cp39-manylinux_2_17_x86_64")
        .file("oldpy.py", "")
        .write(directory);
    wheel("conflict-a", "1.0").file("conflict_a.py", "").requires("beta<2").write(directory);
  }

  /** Writes {@code count} pure wheels {@code pkg00...}, each needing the next: a benchmark set. */
  public static void writeChain(Path directory, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      String name = String.format(java.util.Locale.ROOT, "pkg%02d", i);
      WheelBuilder builder =
          wheel(name, "1." + i)
              .file(name + "/__init__.py", "NAME = '" + name + "'\n" + "# padding\n".repeat(200));
      for (int j = 0; j < 30; j++) {
        builder.file(
            name + "/module" + j + ".py",
            "def f():\n    return " + j + "\n" + "# more padding\n".repeat(100));
      }
      if (i + 1 < count) {
        builder.requires(String.format(java.util.Locale.ROOT, "pkg%02d>=1.0", i + 1));
      }
      builder.write(directory);
    }
  }
}
