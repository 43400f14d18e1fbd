package org.odahu.pack.pydeps.declare;

import java.util.List;
import org.odahu.pack.pydeps.pep508.Requirement;

/**
 * A requirement as a model declares it, with where it was written.
 *
 * @param requirement the PEP 508 requirement
 * @param origin the file and line, e.g. {@code odahuflow_model/requirements.txt:3}
 * @param hashes allowed {@code sha256} digests from {@code --hash} options (hex), empty for any
 */
public record DeclaredRequirement(Requirement requirement, String origin, List<String> hashes) {
  /** Copies the hashes. */
  public DeclaredRequirement {
    hashes = List.copyOf(hashes);
  }

  /** A requirement without hashes. */
  public static DeclaredRequirement of(Requirement requirement, String origin) {
    return new DeclaredRequirement(requirement, origin, List.of());
  }
}
