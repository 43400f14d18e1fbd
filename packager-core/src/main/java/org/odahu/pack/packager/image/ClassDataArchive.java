package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.files.FileTrees;
import org.odahu.pack.packager.PackagingException;

/**
 * A class-data-sharing archive of the classes the model server and the batch entry point load, for
 * images that run odahu-pack's own Java runtime ({@link JavaRuntime}). Without one, the JVM in an
 * image loads, verifies and links ~4,000 classes from the jars at every start: 0.5-0.8 s more to a
 * cold container's first prediction than with it.
 *
 * <p>The archive is dumped ({@code -Xshare:dump}) by the runtime's own {@code java} from a class
 * list recorded by {@code scripts/server-classlist.py} and shipped with odahu-pack, so no model or
 * Python is needed here. It is dumped once per cache and reused, so the same inputs and cache give
 * the same image digest; dumps in other directories usually give the same bytes but not always (the
 * JDK's dump depends on the files' places on disk: one directory in six gave 21 other bytes, one
 * dump in five 1.9 MB), so another machine's class-data layer may differ. The JVM uses an archive
 * only with the very jars it was dumped from, in the same order, with the same sizes and
 * modification times: the jars are copied for the dump with the time Jib gives every file of a
 * layer, and both the dump and images name them through a {@link ClassPathJar} beside them. It may
 * live in another directory than the dump's (the JVM compares the paths past their common prefix).
 * Built once per runtime, jars and list, and cached; the cache keeps the two most recently used
 * archives (~38 MB each, and every odahu-pack build has its own).
 */
public final class ClassDataArchive {
  /** The archive's file name, in the cache and in images. */
  public static final String FILE_NAME = "server.jsa";

  private static final String CLASS_LIST = "server.classlist";

  /** Archives kept in the cache: this build's, and another's used alternately with it. */
  private static final int KEPT = 2;

  private static final String DUMPING = "dumping-";

  /** What the images' JVM runs with, which the dump must match (the collector, native access). */
  private static final List<String> JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");

  /**
   * A fixed heap for the dump: the archive records the heap it was dumped with, and a machine-sized
   * default would make the bytes depend on the packaging machine's memory.
   */
  private static final List<String> DUMP_HEAP = List.of("-Xms128m", "-Xmx128m");

  private ClassDataArchive() {}

  /**
   * The cached archive for {@code runtime} and {@code jars}, dumped on first use.
   *
   * @param runtime a Java runtime of {@link JavaRuntime}, which images carry
   * @param jars the jars images put on the class path
   * @param cleanup removes a dump in progress, and stops its JVM, however the program ends
   * @throws PackagingException when the dump fails (e.g. a full disk), with the JVM's output
   */
  public static Path ensure(
      Path cacheDirectory,
      Path runtime,
      List<Path> jars,
      PackagingListener listener,
      ExitCleanup cleanup) {
    byte[] classList = classList();
    Path entries = cacheDirectory.resolve("class-data");
    Path entry = entries.resolve(key(runtime, jars, classList));
    Path archive = entry.resolve(FILE_NAME);
    try {
      if (Files.isRegularFile(archive)) {
        RecentlyUsed.touch(entry);
        return archive;
      }
      listener.step("Dumping the server's class-data archive (once per runtime and jars)");
      Files.createDirectories(entries);
      // Registered for the exit, as is the dumping JVM: a packaging stopped while it dumps
      // leaves neither behind.
      try (ExitCleanup.TemporaryDirectory work = cleanup.newTemporaryDirectory(entries, DUMPING)) {
        work.write(() -> dump(runtime, jars, classList, work.path(), entry, cleanup));
      }
      return archive;
    } catch (IOException e) {
      throw new PackagingException(
          "Cannot dump the server's class-data archive in " + entries + ": " + e.getMessage(), e);
    }
  }

  /** Dumps the archive in {@code work} and stores it as {@code entry}. */
  private static void dump(
      Path runtime, List<Path> jars, byte[] classList, Path work, Path entry, ExitCleanup cleanup)
      throws IOException {
    Path lib = Files.createDirectories(work.resolve("lib"));
    // Each jar as the image holds it: same bytes, Jib's modification time.
    FileTime layerTime = FileTime.from(FileEntriesLayer.DEFAULT_MODIFICATION_TIME);
    for (Path jar : jars) {
      Path copy = lib.resolve(jar.getFileName().toString());
      Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(copy, layerTime);
    }
    ClassPathJar.write(lib, jars);
    Files.write(work.resolve(CLASS_LIST), classList);
    runDump(runtime, work, cleanup);
    // Published whole: the archive alone.
    FileTrees.delete(lib);
    Files.delete(work.resolve(CLASS_LIST));
    RecentlyUsed.store(work, entry, KEPT, DUMPING);
  }

  private static void runDump(Path runtime, Path work, ExitCleanup cleanup) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(runtime.resolve("bin").resolve("java").toString());
    command.addAll(DUMP_HEAP);
    command.addAll(JVM_OPTIONS);
    command.addAll(
        List.of(
            "-Xshare:dump",
            "-XX:SharedClassListFile=" + CLASS_LIST,
            "-XX:SharedArchiveFile=" + FILE_NAME,
            "-cp",
            "lib/" + ClassPathJar.FILE_NAME));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    ExitCleanup.Created<Process> started =
        cleanup.createUndoable(
            "the class-data dump", builder::start, process -> process::destroyForcibly);
    try {
      Process process = started.value();
      // Warnings name classes of JDK modules the runtime leaves out (java.desktop, ...): expected.
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0 || !Files.isRegularFile(work.resolve(FILE_NAME))) {
        throw new IOException(
            "the JVM's dump failed (exit status " + exit + "): " + lastLines(output));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackagingException("Interrupted while dumping the class-data archive", e);
    } finally {
      started.registration().close();
    }
  }

  private static String lastLines(String output) {
    List<String> lines = output.strip().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }

  private static byte[] classList() {
    try (InputStream in = ClassDataArchive.class.getResourceAsStream(CLASS_LIST)) {
      if (in == null) {
        throw new IllegalStateException(CLASS_LIST + " is missing from odahu-pack's jars");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new PackagingException("Cannot read " + CLASS_LIST + ": " + e.getMessage(), e);
    }
  }

  /**
   * The runtime (its directory is named per JDK), the class path's form, the list, each jar's name
   * and content.
   */
  private static String key(Path runtime, List<Path> jars, byte[] classList) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(runtime.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      digest.update(String.join(" ", JVM_OPTIONS).getBytes(StandardCharsets.UTF_8));
      digest.update(ClassPathJar.FILE_NAME.getBytes(StandardCharsets.UTF_8));
      digest.update(classList);
      for (Path jar : jars.stream().sorted().toList()) {
        digest.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        try (InputStream in = new DigestInputStream(Files.newInputStream(jar), digest)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (IOException e) {
      throw new PackagingException("Cannot read the runtime jars: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
