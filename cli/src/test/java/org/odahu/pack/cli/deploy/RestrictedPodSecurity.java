package org.odahu.pack.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;

/**
 * The Kubernetes Pod Security Standard {@code restricted} (kubernetes.io/docs/concepts/security/
 * pod-security-standards), checked field by field on a pod's parts, plus our read-only root with
 * {@code /tmp} the only writable path.
 */
final class RestrictedPodSecurity {
  private RestrictedPodSecurity() {}

  static void check(PodSecurityContext pod, Container container, List<Volume> volumes) {
    SecurityContext security = container.getSecurityContext();
    assertNotNull(security, "container securityContext");
    // runAsNonRoot true on the container or the pod, and a non-zero uid.
    assertTrue(
        Boolean.TRUE.equals(security.getRunAsNonRoot())
            || (pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot())),
        "runAsNonRoot");
    assertEquals(10001L, security.getRunAsUser());
    assertEquals(10001L, security.getRunAsGroup());
    assertNotEquals(true, security.getPrivileged(), "privileged");
    assertEquals(false, security.getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
    assertTrue(security.getCapabilities().getAdd().isEmpty(), "no capability added");
    SeccompProfile seccomp =
        security.getSeccompProfile() != null
            ? security.getSeccompProfile()
            : pod.getSeccompProfile();
    assertEquals("RuntimeDefault", seccomp.getType());
    assertEquals(true, security.getReadOnlyRootFilesystem());
    if (pod != null) {
      assertEquals(true, pod.getRunAsNonRoot());
      assertEquals(10001L, pod.getRunAsUser());
      assertEquals(10001L, pod.getFsGroup());
      assertEquals("RuntimeDefault", pod.getSeccompProfile().getType());
    }
    assertTrue(
        container.getPorts().stream().allMatch(port -> port.getHostPort() == null), "hostPort");
    // Volumes: only emptyDir, and /tmp is one.
    for (Volume volume : volumes) {
      assertNotNull(volume.getEmptyDir(), volume.getName() + " must be an emptyDir");
      assertFalse(volume.getHostPath() != null, "hostPath");
    }
    VolumeMount tmp =
        container.getVolumeMounts().stream()
            .filter(mount -> mount.getMountPath().equals("/tmp"))
            .findFirst()
            .orElseThrow();
    assertTrue(volumes.stream().anyMatch(v -> v.getName().equals(tmp.getName())), "/tmp's volume");
  }
}
