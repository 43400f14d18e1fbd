package org.odahu.pack.gppi.cpython;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Kills a worker's process group: the worker and every process its model started that did not leave
 * the group, including those a dead worker left behind. Once a worker has died, the processes it
 * started belong to the init process and are no longer its descendants; and a child forked from C
 * code (where Python's fork hooks do not run) keeps the worker's pipes open, so that the worker's
 * death would go unnoticed until the child exits. The worker script makes each worker the leader of
 * a group of its own ({@code os.setpgid(0, 0)}), so the group's id is its pid.
 *
 * <p>Java has no call that signals a process group, so the shell's {@code kill} does it: {@code
 * /bin/sh} is in every Debian-based image. Only a worker's end pays for it.
 */
final class ProcessGroup {
  private ProcessGroup() {}

  /**
   * Sends SIGKILL to the process group {@code leader} leads, if there is one, and waits briefly for
   * {@code kill} to return. A pid that leads no group (a worker that died before it made its group)
   * matches nothing: {@code kill} fails and nothing else is touched.
   */
  static void kill(long leader) {
    if (leader <= 1) {
      return;
    }
    try {
      Process kill =
          new ProcessBuilder("/bin/sh", "-c", "kill -9 -\"$1\" 2>/dev/null", "sh", "" + leader)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      // No shell: the processes still known as the worker's descendants are killed one by one.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
