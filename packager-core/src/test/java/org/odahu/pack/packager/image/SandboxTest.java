package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
  void theCommandIsTheEntrypointThenTheArgumentsOrElseTheCmdAsDockerRunsIt() throws IOException {
    JsonNode both =
        JSON.readTree("{\"config\": {\"Entrypoint\": [\"/e\", \"-x\"], \"Cmd\": [\"c\"]}}");
    assertEquals(List.of("/e", "-x", "c"), Sandbox.entrypoint(both, List.of()));
    assertEquals(List.of("/e", "-x", "a", "b"), Sandbox.entrypoint(both, List.of("a", "b")));
    JsonNode cmdOnly = JSON.readTree("{\"config\": {\"Cmd\": [\"/bin/echo\", \"hi\"]}}");
    assertEquals(List.of("/bin/echo", "hi"), Sandbox.entrypoint(cmdOnly, List.of()));
    assertEquals(List.of("/bin/true"), Sandbox.entrypoint(cmdOnly, List.of("/bin/true")));
    assertTrue(
        assertThrows(
                PackagingException.class,
                () -> Sandbox.entrypoint(JSON.readTree("{\"config\": {}}"), List.of()))
            .getMessage()
            .startsWith("The image has no Entrypoint and no Cmd"));
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
    assertTrue(argv.contains("--unshare-user"), argv::toString);
    int bwrap = argv.indexOf("--unshare-user") - 1;
    assertTrue(argv.get(bwrap).endsWith("bwrap"), argv::toString);
    if (bwrap > 0) { // as root: the host's user first, then bwrap, never one for the other
      assertEquals("setpriv", argv.get(0), argv::toString);
      assertEquals("--", argv.get(bwrap - 1), argv::toString);
    }
    assertEquals(List.of("--cap-drop", "ALL"), after(argv, "--cap-drop", 2));
    assertEquals(List.of("--uid", "10001", "--gid", "10001"), after(argv, "--uid", 4));
    assertEquals(List.of("--chdir", "/app", "--", "/bin/true"), after(argv, "--chdir", 4));
    assertTrue(Files.isDirectory(rootfs.resolve("volume")), "the mount point is made");
  }

  @Test
  void theImagesCommandIsNeverReadAsOptionsOfBwrapAndEnvEntriesNeedAName() throws IOException {
    JsonNode config =
        JSON.readTree(
            "{\"config\": {\"Env\": [\"A=1\", \"NOVALUE\", \"=x\", \"LD_LIBRARY_PATH=/opt/lib\"]}}");
    List<String> command = List.of("--bind", "/", "/host", "/bin/sh");
    ProcessBuilder builder = Sandbox.command(temp, config, command, List.of());
    List<String> argv = builder.command();
    assertEquals(command, argv.subList(argv.size() - command.size(), argv.size()));
    assertEquals("--", argv.get(argv.size() - command.size() - 1), argv::toString);
    assertEquals(Map.of("A", "1"), builder.environment(), "nothing of this process's own");
    // The loader's variables would change how bwrap itself loads: set for the command alone.
    assertEquals(1, Collections.frequency(argv, "--setenv"), argv::toString);
    assertEquals(List.of("--setenv", "LD_LIBRARY_PATH", "/opt/lib"), after(argv, "--setenv", 3));
  }

  @Test
  void valuesGivenToTheContainerStayOutOfTheHostsProcessList() throws Exception {
    String secret = "Secret-value-of-" + System.nanoTime();
    JsonNode config =
        JSON.readTree("{\"config\": {\"Env\": [\"PATH=/opt/image/bin\", \"KEPT=image\"]}}");
    ProcessBuilder builder =
        Sandbox.command(
            Path.of("/"),
            config,
            List.of(
                "/bin/sh",
                "-c",
                "echo \"$KEPT $TOKEN\"; /usr/bin/tr '\\0' ' ' < /proc/$PPID/cmdline"),
            List.of("TOKEN=" + secret, "KEPT=overridden"));
    // As image run starts it; setsid then looks for bwrap on the image's PATH, which is not the
    // host's.
    builder.command().addFirst("setsid");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    List<String> lines = output.lines().toList();
    assertEquals("overridden " + secret, lines.get(0), "later values win, as docker run -e");
    assertTrue(lines.get(1).contains("bwrap"), output);
    assertFalse(lines.get(1).contains(secret), "bwrap's command line: " + lines.get(1));
  }

  private static List<String> after(List<String> argv, String option, int count) {
    int at = argv.indexOf(option);
    assertTrue(at >= 0, option + " missing: " + argv);
    return argv.subList(at, Math.min(argv.size(), at + count));
  }
}
