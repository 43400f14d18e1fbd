package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;

/**
 * The restricted pod's user comes from the image, as {@code runAsNonRoot} checks it, and the
 * sandbox gives it a read-only root with only the pod's volumes writable.
 */
class SandboxTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private static JsonNode config(String user) throws IOException {
    return JSON.readTree(
        "{\"config\": {\"User\": \"" + user + "\", \"Env\": [\"A=1\"], \"WorkingDir\": \"/app\"}}");
  }

  @Test
  void thePodRunsAsTheImagesNumericUser() throws IOException {
    Sandbox.Pod pod = Sandbox.Pod.restricted(config("10001:10002"));
    assertEquals(10001, pod.uid());
    assertEquals(10002, pod.gid());
    assertEquals(List.of("/tmp"), pod.emptyDirs());
    assertEquals(List.of(), pod.volumes());
  }

  @Test
  void anImageThatWouldRunAsRootOrByNameIsRefused() {
    for (String user : List.of("", "0:0", "root", "10001", "odahu:odahu", "0:10001")) {
      PackagingException e =
          assertThrows(PackagingException.class, () -> Sandbox.Pod.restricted(config(user)), user);
      assertTrue(e.getMessage().contains("numeric non-root uid:gid"), e.getMessage());
    }
  }

  @Test
  void theRootIsReadOnlyAndOnlyThePodsVolumesAreWritable() throws IOException {
    // Searchable by others: run by root, the sandbox becomes the pod's user on the host too.
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path rootfs = Files.createDirectories(temp.resolve("rootfs"));
    Path out = Files.createDirectories(temp.resolve("out"));
    Sandbox.Pod pod = Sandbox.Pod.restricted(config("10001:10001")).withVolume("/volume", out);
    List<String> argv =
        Sandbox.asPod(rootfs, config("10001:10001"), List.of("/bin/true"), List.of(), pod)
            .command();
    assertEquals(List.of("--ro-bind", rootfs.toString(), "/"), after(argv, "--ro-bind", 3));
    assertEquals(List.of("--tmpfs", "/tmp"), after(argv, "--tmpfs", 2));
    assertEquals(List.of("--bind", out.toString(), "/volume"), after(argv, "--bind", 3));
    assertEquals(1, Collections.frequency(argv, "--bind"), "nothing else is writable: " + argv);
    assertTrue(argv.containsAll(List.of("--unshare-user", "--clearenv")), argv::toString);
    assertEquals(List.of("--cap-drop", "ALL"), after(argv, "--cap-drop", 2));
    assertEquals(List.of("--uid", "10001", "--gid", "10001"), after(argv, "--uid", 4));
    assertEquals(List.of("--chdir", "/app", "--", "/bin/true"), after(argv, "--chdir", 4));
    assertTrue(Files.isDirectory(rootfs.resolve("volume")), "the mount point is made");
  }

  @Test
  void theImagesCommandIsNeverReadAsOptionsOfBwrapAndEnvEntriesNeedAName() throws IOException {
    JsonNode config = JSON.readTree("{\"config\": {\"Env\": [\"A=1\", \"NOVALUE\", \"=x\"]}}");
    List<String> command = List.of("--bind", "/", "/host", "/bin/sh");
    List<String> argv = Sandbox.command(temp, config, command, List.of()).command();
    assertEquals(command, argv.subList(argv.size() - command.size(), argv.size()));
    assertEquals("--", argv.get(argv.size() - command.size() - 1), argv::toString);
    assertEquals(1, Collections.frequency(argv, "--setenv"), argv::toString);
    assertEquals(List.of("--setenv", "A", "1"), after(argv, "--setenv", 3));
  }

  private static List<String> after(List<String> argv, String option, int count) {
    int at = argv.indexOf(option);
    assertTrue(at >= 0, option + " missing: " + argv);
    return argv.subList(at, Math.min(argv.size(), at + count));
  }
}
