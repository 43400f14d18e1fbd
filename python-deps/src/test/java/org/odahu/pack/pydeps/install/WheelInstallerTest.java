package org.odahu.pack.pydeps.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.common.WheelInstallException;
import org.odahu.pack.pydeps.testing.WheelBuilder;

/** Hostile or broken wheels are refused before anything lands outside the tree. */
class WheelInstallerTest {
  private static final String WHEEL =
      "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n";

  @TempDir Path directory;

  private Path zip(Map<String, String> entries, Map<String, Integer> modes) throws IOException {
    Path file = directory.resolve("evil-1.0-py3-none-any.whl");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
        entry.setUnixMode(modes.getOrDefault(e.getKey(), 0100644));
        zip.putArchiveEntry(entry);
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeArchiveEntry();
      }
    }
    return file;
  }

  private static Map<String, String> wheelWith(String path, String content) {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(path, content);
    entries.put("evil-1.0.dist-info/METADATA", "Name: evil\nVersion: 1.0\n");
    entries.put("evil-1.0.dist-info/WHEEL", WHEEL);
    entries.put("evil-1.0.dist-info/RECORD", "");
    return entries;
  }

  private String refusal(Map<String, String> entries, Map<String, Integer> modes)
      throws IOException {
    Path wheel = zip(entries, modes);
    Path tree = directory.resolve("tree");
    WheelInstallException e =
        assertThrows(
            WheelInstallException.class,
            () ->
                new WheelInstaller("/usr/bin/python3")
                    .install(wheel, wheel.getFileName().toString(), tree));
    assertFalse(Files.exists(directory.resolve("escaped.py")));
    return e.getMessage();
  }

  @Test
  void entriesOutsideTheTreeAreRefused() throws IOException {
    assertEquals(
        "evil-1.0-py3-none-any.whl: entry '../escaped.py' would be written outside the install tree",
        refusal(wheelWith("../escaped.py", "x"), Map.of()));
    assertEquals(
        "evil-1.0-py3-none-any.whl: entry '/tmp/escaped.py' would be written outside the install tree",
        refusal(wheelWith("/tmp/escaped.py", "x"), Map.of()));
    assertTrue(
        refusal(wheelWith("evil-1.0.data/data/../../../escaped.py", "x"), Map.of())
            .contains("outside the install tree"));
  }

  @Test
  void namesWithControlCharactersAreRefusedSoNoneStartsARecordLine() throws IOException {
    // Written as is, this name would give the RECORD a line of its own: '/etc/passwd,...'.
    assertEquals(
        "evil-1.0-py3-none-any.whl: entry 'evil/a\\u000a/etc/passwd' has a control character in"
            + " its name",
        refusal(wheelWith("evil/a\n/etc/passwd", "x"), Map.of()));
    assertEquals(
        "evil-1.0-py3-none-any.whl: entry 'evil/a\\u000d' has a control character in its name",
        refusal(wheelWith("evil/a\r", "x"), Map.of()));
    assertTrue(refusal(wheelWith("evil/tab\t.py", "x"), Map.of()).contains("control character"));
  }

  @Test
  void recordFieldsWithLineBreaksAreQuotedAsPythonsCsvQuotesThem() {
    assertEquals("\"a\n/etc/passwd\"", RecordFile.csv("a\n/etc/passwd"));
    assertEquals("\"a\rb\"", RecordFile.csv("a\rb"));
    assertEquals("\"a,\"\"b\"", RecordFile.csv("a,\"b"));
    assertEquals("plain/path.py", RecordFile.csv("plain/path.py"));
  }

  @Test
  void aWheelThatExpandsLikeAZipBombIsRefused() throws IOException {
    Path wheel = directory.resolve("evil-1.0-py3-none-any.whl");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(wheel))) {
      for (Map.Entry<String, String> e : wheelWith("evil/__init__.py", "").entrySet()) {
        zip.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeArchiveEntry();
      }
      // 320 MiB of zeros: a few hundred KB in the wheel.
      zip.putArchiveEntry(new ZipArchiveEntry("evil/zeros.bin"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 320; i++) {
        zip.write(zeros);
      }
      zip.closeArchiveEntry();
    }
    assertTrue(Files.size(wheel) < 2 << 20, "compressed to " + Files.size(wheel));
    Path tree = directory.resolve("tree");
    WheelInstallException refused =
        assertThrows(
            WheelInstallException.class,
            () ->
                new WheelInstaller("/usr/bin/python3")
                    .install(wheel, "evil-1.0-py3-none-any.whl", tree));
    assertEquals(
        "evil-1.0-py3-none-any.whl expands to more than 32 times its size (and 256 MiB): refused"
            + " as a zip bomb",
        refused.getMessage());
    assertTrue(
        Files.size(tree.resolve("site-packages/evil/zeros.bin"))
            <= WheelInstaller.expansionLimit(Files.size(wheel)),
        "stopped within the limit");
  }

  @Test
  void recordWheelAndEntryPointsFilesOverTheirLimitAreRefused() throws IOException {
    // 17 MiB of short lines, compressed to a few KiB: a map entry per line would fill the heap.
    Map<String, String> entries = wheelWith("evil/__init__.py", "");
    entries.put("evil-1.0.dist-info/RECORD", "a,b\n".repeat((17 << 20) / 4));
    assertEquals(
        "evil-1.0-py3-none-any.whl: its evil-1.0.dist-info/RECORD is over 16 MiB: refused",
        refusal(entries, Map.of()));
    assertTrue(Files.size(directory.resolve("evil-1.0-py3-none-any.whl")) < 1 << 20);

    entries = wheelWith("evil/__init__.py", "");
    entries.put("evil-1.0.dist-info/WHEEL", WHEEL + " ".repeat(5 << 20));
    assertEquals(
        "evil-1.0-py3-none-any.whl: its evil-1.0.dist-info/WHEEL is over 4 MiB: refused",
        refusal(entries, Map.of()));

    entries = wheelWith("evil/__init__.py", "");
    entries.put("evil-1.0.dist-info/entry_points.txt", "#".repeat(5 << 20));
    assertEquals(
        "evil-1.0-py3-none-any.whl: its evil-1.0.dist-info/entry_points.txt is over 4 MiB: refused",
        refusal(entries, Map.of()));
  }

  @Test
  void aSecondDistInfoDirectoryIsRefusedAsPipRefusesIt() throws IOException {
    Map<String, String> entries = wheelWith("evil/__init__.py", "");
    entries.put("numpy-99.0.dist-info/METADATA", "Name: numpy\nVersion: 99.0\n");
    assertEquals(
        "evil-1.0-py3-none-any.whl has more than one .dist-info directory (evil-1.0.dist-info,"
            + " numpy-99.0.dist-info)",
        refusal(entries, Map.of()));
  }

  @Test
  void scriptNamesMadeOfDotsAreInvalidEntryPoints() throws IOException {
    for (String name : new String[] {".", "..", "..."}) {
      assertEquals(
          "evil-1.0-py3-none-any.whl: invalid entry point '" + name + " = evil:main'",
          refusal(
              wheelWith(
                  "evil-1.0.dist-info/entry_points.txt",
                  "[console_scripts]\n" + name + " = evil:main\n"),
              Map.of()));
    }
    assertEquals(
        "evil-1.0-py3-none-any.whl: entry 'evil-1.0.data/scripts/.' has a '.' in its path, which"
            + " wheels may not have",
        refusal(wheelWith("evil-1.0.data/scripts/.", "#!python\n"), Map.of()));
  }

  @Test
  void symbolicLinksAreRefused() throws IOException {
    assertEquals(
        "evil-1.0-py3-none-any.whl: entry 'evil/link' is a symbolic link, which wheels may not contain",
        refusal(wheelWith("evil/link", "/etc/passwd"), Map.of("evil/link", 0120777)));
  }

  @Test
  void aFileNotMatchingItsRecordIsRefused() throws IOException {
    Map<String, String> entries = wheelWith("evil.py", "print('changed after signing')\n");
    entries.put(
        "evil-1.0.dist-info/RECORD",
        "evil.py,sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,5\n");
    assertEquals(
        "evil-1.0-py3-none-any.whl: 'evil.py' does not match the hash in its RECORD",
        refusal(entries, Map.of()));
  }

  @Test
  void aRecordHashWithBase64PaddingIsReadAsPipReadsIt(@TempDir Path tree) throws Exception {
    String content = "print('fine')\n";
    String padded =
        java.util.Base64.getUrlEncoder()
            .encodeToString(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
    assertTrue(padded.endsWith("="), padded);
    Map<String, String> entries = wheelWith("evil.py", content);
    entries.put("evil-1.0.dist-info/RECORD", "evil.py,sha256=" + padded + "," + content.length());
    Path wheel = zip(entries, Map.of());
    new WheelInstaller("/usr/bin/python3").install(wheel, wheel.getFileName().toString(), tree);
    assertTrue(Files.exists(tree.resolve("site-packages/evil.py")));
    // A wrong digest is still refused, padded or not.
    entries.put(
        "evil-1.0.dist-info/RECORD",
        "evil.py,sha256=" + padded.replace(padded.charAt(0), padded.charAt(0) == 'A' ? 'B' : 'A'));
    assertEquals(
        "evil-1.0-py3-none-any.whl: 'evil.py' does not match the hash in its RECORD",
        refusal(entries, Map.of()));
  }

  @Test
  void aTreeIsCompleteWhenTwoWheelsWroteTheSameFileAndIncompleteWithoutOne(@TempDir Path tree)
      throws IOException {
    WheelInstaller installer = new WheelInstaller("/usr/bin/python3");
    for (String[] wheel : new String[][] {{"one", "first\n"}, {"two", "the second\n"}}) {
      Path file =
          org.odahu.pack.pydeps.testing.WheelBuilder.wheel(wheel[0], "1.0")
              .file("shared/__init__.py", wheel[1])
              .file(wheel[0] + ".py", "")
              .write(directory);
      installer.install(file, file.getFileName().toString(), tree);
    }
    Path site = tree.resolve("site-packages");
    assertTrue(RecordFile.complete(site, 2), "the last writer's size is one a RECORD lists");
    assertFalse(RecordFile.complete(site, 3), "a distribution is missing");
    Files.delete(site.resolve("one.py"));
    assertFalse(RecordFile.complete(site, 2), "a file is missing");
  }

  @Test
  void anUnknownWheelVersionIsRefused() throws IOException {
    Map<String, String> entries = wheelWith("evil.py", "");
    entries.put("evil-1.0.dist-info/WHEEL", "Wheel-Version: 2.0\n");
    assertEquals(
        "evil-1.0-py3-none-any.whl: unsupported Wheel-Version (odahu-pack installs version 1 wheels)",
        refusal(entries, Map.of()));
  }

  @Test
  void everyFirstLineStartingWithHashBangPythonGetsTheInterpreterAsPipGivesIt(@TempDir Path tree)
      throws IOException {
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("crlf", "#!python\r\nprint(1)\r\n");
    scripts.put("py3", "#!python3\nprint(1)\n");
    scripts.put("py311", "#!python3.11 -u\r\nprint(1)\n");
    scripts.put("bare", "#!python");
    scripts.put("env", "#!/usr/bin/env python\nprint(1)\n");
    scripts.put("late", "\n#!python\n");
    WheelBuilder builder = WheelBuilder.wheel("tool", "2.0");
    scripts.forEach(
        (name, text) ->
            builder.file(
                "tool-2.0.data/scripts/" + name, text.getBytes(StandardCharsets.UTF_8), 0755));
    Path wheel = builder.write(directory);
    new WheelInstaller("/usr/bin/python3").install(wheel, wheel.getFileName().toString(), tree);
    assertEquals("#!/usr/bin/python3\nprint(1)\r\n", Files.readString(tree.resolve("bin/crlf")));
    assertEquals("#!/usr/bin/python3\nprint(1)\n", Files.readString(tree.resolve("bin/py3")));
    assertEquals("#!/usr/bin/python3 -u\nprint(1)\n", Files.readString(tree.resolve("bin/py311")));
    assertEquals("#!/usr/bin/python3\n", Files.readString(tree.resolve("bin/bare")));
    assertEquals("#!/usr/bin/env python\nprint(1)\n", Files.readString(tree.resolve("bin/env")));
    assertEquals("\n#!python\n", Files.readString(tree.resolve("bin/late")));
  }

  @Test
  void noScriptMayTakeThePlaceOfThePythonInterpreterOnThePath() throws IOException {
    for (String name : new String[] {"python", "python3", "python3.11"}) {
      assertEquals(
          "evil-1.0-py3-none-any.whl: its script '"
              + name
              + "' (evil-1.0.dist-info/entry_points.txt) would take the place of the base image's"
              + " Python on the PATH: refused",
          refusal(
              wheelWith(
                  "evil-1.0.dist-info/entry_points.txt",
                  "[console_scripts]\n" + name + " = evil:main\n"),
              Map.of()));
    }
    assertEquals(
        "evil-1.0-py3-none-any.whl: its script 'python3' (evil-1.0.data/scripts/python3) would take"
            + " the place of the base image's Python on the PATH: refused",
        refusal(wheelWith("evil-1.0.data/scripts/python3", "#!/bin/sh\n"), Map.of()));
    assertTrue(
        refusal(wheelWith("evil-1.0.data/data/bin/python", "#!/bin/sh\n"), Map.of())
            .contains("'python' (evil-1.0.data/data/bin/python) would take the place"));
  }

  @Test
  void scriptsGetTheImagesInterpreterAndKeepTheirArguments(@TempDir Path tree) throws IOException {
    Path wheel =
        WheelBuilder.wheel("tool", "2.0")
            .file(
                "tool-2.0.data/scripts/run",
                "#!pythonw -u\nprint('x')\n".getBytes(StandardCharsets.UTF_8),
                0644)
            .file(
                "tool-2.0.data/scripts/shell",
                "#!/bin/sh\necho x\n".getBytes(StandardCharsets.UTF_8),
                0755)
            .file("tool-2.0.data/headers/tool.h", "int x;\n".getBytes(StandardCharsets.UTF_8), 0644)
            .file(
                "tool-2.0.data/data/share/tool/data.txt",
                "d\n".getBytes(StandardCharsets.UTF_8),
                0644)
            .entryPoints("[gui_scripts]\ntool-gui = tool.gui:App.main\n[other]\nignored = x:y\n")
            .write(directory);
    new WheelInstaller("/opt/conda/bin/python")
        .install(wheel, wheel.getFileName().toString(), tree);
    assertEquals(
        "#!/opt/conda/bin/python -u\nprint('x')\n", Files.readString(tree.resolve("bin/run")));
    assertTrue(Files.isExecutable(tree.resolve("bin/run")));
    assertEquals("#!/bin/sh\necho x\n", Files.readString(tree.resolve("bin/shell")));
    assertEquals("int x;\n", Files.readString(tree.resolve("include/tool/tool.h")));
    assertEquals("d\n", Files.readString(tree.resolve("share/tool/data.txt")));
    String gui = Files.readString(tree.resolve("bin/tool-gui"));
    assertTrue(
        gui.startsWith("#!/opt/conda/bin/python\n")
            && gui.contains("from tool.gui import App\n")
            && gui.contains("sys.exit(App.main())"),
        gui);
    assertFalse(Files.exists(tree.resolve("bin/ignored")));
    String record = Files.readString(tree.resolve("site-packages/tool-2.0.dist-info/RECORD"));
    assertTrue(
        record.contains("../share/tool/data.txt,sha256=")
            && record.contains("../include/tool/tool.h,")
            && record.contains("\ntool-2.0.dist-info/RECORD,,\n"),
        record);
  }
}
