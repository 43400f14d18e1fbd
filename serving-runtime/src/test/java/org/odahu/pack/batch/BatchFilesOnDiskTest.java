package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.server.testing.InMemoryBackend;

/** The files a batch run leaves: the side file's lines, and nothing when stopped while creating. */
class BatchFilesOnDiskTest {
  @TempDir Path temp;

  @Test
  void skippedRowsOfAPrettyPrintedInputAreOneLineEach() throws Exception {
    Path input =
        Files.writeString(
            temp.resolve("request.json"),
            "{\n  \"columns\": [\"a\", \"b\"],\n  \"data\": [\n    [\n      1,\n"
                + "      \"x \\\"y\\\"\\nz\"\n    ],\n    [2, \"w\"]\n  ]\n}\n");
    InMemoryBackend refusing =
        new InMemoryBackend()
            .answer(
                row -> CompletableFuture.failedFuture(new ModelPredictionException("no", "E", "")));
    Path output = temp.resolve("out").resolve("results.json");
    BatchResult result;
    try (BatchRunner runner = new BatchRunner(refusing, 1, ExitCleanup.manual())) {
      result =
          runner.predict(
              new BatchRequest(
                  input,
                  FileFormat.JSON,
                  output,
                  FileFormat.JSON,
                  Shard.WHOLE,
                  1,
                  ErrorPolicy.SKIP),
              BatchListener.NONE);
    }
    assertEquals(2, result.failedRows());
    List<String> lines = Files.readAllLines(result.errors());
    assertEquals(2, lines.size(), lines.toString());
    JsonNode first = BatchFiles.JSON.readTree(lines.get(0));
    assertEquals(1, first.get("row").asInt());
    assertEquals("[1,\"x \\\"y\\\"\\nz\"]", first.get("data").toString());
    assertEquals("[2,\"w\"]", BatchFiles.JSON.readTree(lines.get(1)).get("data").toString());
    assertTrue(Files.exists(output));
  }

  @Test
  void aResultFileIsNotCreatedOnceTheProgramIsStopping() throws IOException {
    ExitCleanup cleanup = ExitCleanup.manual();
    cleanup.close();
    Path directory = Files.createDirectories(temp.resolve("out"));
    assertThrows(IOException.class, () -> OutputFile.create(directory.resolve("r.json"), cleanup));
    try (Stream<Path> left = Files.list(directory)) {
      assertEquals(List.of(), left.toList());
    }
  }

  /** A result's name as long as a file system takes (255 bytes) still gets its temporary file. */
  @Test
  void aLongResultNameIsWrittenWhole() throws IOException {
    Path directory = Files.createDirectories(temp.resolve("long"));
    for (String name : List.of("a".repeat(250) + ".json", "é".repeat(125) + ".json")) {
      Path target = directory.resolve(name);
      try (OutputFile file = OutputFile.create(target, ExitCleanup.manual())) {
        file.stream().write('1');
        file.commit();
      }
      assertEquals("1", Files.readString(target));
    }
    assertEquals("éé", OutputFile.prefix("ééé", 5));
    assertEquals("a\ud83d\ude00", OutputFile.prefix("a\ud83d\ude00b", 5));
  }

  @Test
  void unfinishedFilesOfAKilledRunGoOnceTheSameResultIsWrittenNotThoseStillWritten()
      throws IOException {
    Path directory = Files.createDirectories(temp.resolve("killed"));
    String uuid = "2f7cb465-0000-4000-8000-000000000000";
    Path killed = Files.writeString(directory.resolve(".r.json." + uuid + ".partial"), "[1");
    Files.setLastModifiedTime(
        killed, FileTime.from(Instant.now().minus(1, java.time.temporal.ChronoUnit.HOURS)));
    Path other = Files.writeString(directory.resolve(".s.json." + uuid + ".partial"), "[1");
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(killed));
    // A run still writing, in a slow chunk: its file is old, but it holds its lock.
    Path writing =
        Files.writeString(directory.resolve(".r.json." + uuid.replace('2', '4') + ".partial"), "[");
    Files.setLastModifiedTime(writing, Files.getLastModifiedTime(killed));
    try (java.nio.channels.FileChannel held =
            java.nio.channels.FileChannel.open(writing, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock = held.lock();
        OutputFile file = OutputFile.create(directory.resolve("r.json"), ExitCleanup.manual())) {
      Path live =
          Files.writeString(
              directory.resolve(".r.json." + uuid.replace('2', '3') + ".partial"), "[");
      Files.setLastModifiedTime(live, FileTime.from(Instant.now().plusSeconds(5)));
      assertTrue(lock.isValid());
      file.stream().write('1');
      file.commit();
    }
    try (Stream<Path> left = Files.list(directory)) {
      assertEquals(
          List.of(
              ".r.json.3f7cb465-0000-4000-8000-000000000000.partial",
              ".r.json.4f7cb465-0000-4000-8000-000000000000.partial",
              ".s.json." + uuid + ".partial",
              "r.json"),
          left.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /** The model's input rows of {@code text} as a file of {@code format}, through an echo. */
  private List<String> echoed(String name, byte[] text, FileFormat format) throws Exception {
    Path input = Files.write(temp.resolve(name), text);
    List<String> seen = new java.util.ArrayList<>();
    InMemoryBackend echo =
        new InMemoryBackend()
            .answer(
                rows -> {
                  seen.add(rows.data().toString());
                  return InMemoryBackend.echo(rows);
                });
    try (BatchRunner runner = new BatchRunner(echo, 1, ExitCleanup.manual())) {
      runner.predict(
          new BatchRequest(
              input,
              format,
              temp.resolve("out-" + name).resolve("results.jsonl"),
              FileFormat.JSONL,
              Shard.WHOLE,
              10,
              ErrorPolicy.FAIL),
          BatchListener.NONE);
    }
    return seen;
  }

  @Test
  void aCsvRowStartingWithAZeroByteIsReadAsUtf8NotAsUtf16() throws Exception {
    // From bytes, Jackson took such a first row for UTF-16: it garbled it and dropped the next.
    byte[] csv = "a,b\n\u0000p\u0000,\u0000q\nx,y\n".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        List.of("[[\"\\u0000p\\u0000\",\"\\u0000q\"],[\"x\",\"y\"]]"),
        echoed("zero.csv", csv, FileFormat.CSV));
  }

  @Test
  void aByteOrderMarkIsNoPartOfTheFirstRow() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    for (FileFormat format : new FileFormat[] {FileFormat.JSONL, FileFormat.CSV}) {
      String text = format == FileFormat.CSV ? "a\n1\n2\n" : "{\"a\": 1}\n{\"a\": 2}\n";
      // Blank lines after the mark, before the first row, are skipped as they are without it.
      for (String before : List.of("", "\r\n", "\n\n")) {
        byte[] rows = (before + text).getBytes(StandardCharsets.UTF_8);
        byte[] file = new byte[3 + rows.length];
        System.arraycopy(bom, 0, file, 0, 3);
        System.arraycopy(rows, 0, file, 3, rows.length);
        assertEquals(
            List.of("[[1],[2]]"),
            echoed("bom" + before.length() + "." + format, file, format),
            format + " after " + before.length());
      }
    }
  }

  @Test
  void aStringLongerThanJacksonsDefaultLimitIsAValueLikeAnyOther() throws Exception {
    // 21 million characters: over Jackson's default of 20 million, well under a row's 256 MiB.
    String x = "x".repeat(21_000_000);
    for (FileFormat format : new FileFormat[] {FileFormat.CSV, FileFormat.JSONL}) {
      String text = format == FileFormat.CSV ? "a\n" + x + "\n" : "[\"" + x + "\"]\n";
      List<String> seen = echoed("long." + format, text.getBytes(StandardCharsets.UTF_8), format);
      assertEquals(1, seen.size(), format.toString());
      assertEquals("[[\"" + x + "\"]]", seen.get(0), format.toString());
      Path result = temp.resolve("out-long." + format).resolve("results.jsonl");
      assertTrue(Files.size(result) > x.length(), format.toString());
    }
  }
}
