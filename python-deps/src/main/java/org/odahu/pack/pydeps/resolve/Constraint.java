package org.odahu.pack.pydeps.resolve;

import java.util.List;
import org.odahu.pack.pydeps.pep508.Requirement;

/**
 * A requirement on a project and who made it.
 *
 * @param requirement the requirement
 * @param origin the chain that led to it, e.g. {@code pandas 2.0.0 <- requirements.txt:3}
 * @param hashes allowed wheel digests ({@code --hash}), empty for any
 */
public record Constraint(Requirement requirement, String origin, List<String> hashes) {
  /** Copies the list. */
  public Constraint {
    hashes = List.copyOf(hashes);
  }

  /**
   * Whether the model declared it (its origin is a file's line), rather than a package's metadata
   * ({@code pandas 2.0.0 <- requirements.txt:3}): only a declared requirement's unusable URL fails
   * the plan; a package's makes that package a candidate the resolver passes over, as pip does.
   */
  boolean declared() {
    return !origin.contains(" <- ");
  }

  /** The requirement as written plus its origin, for messages. */
  String describe() {
    return requirement + " (" + origin + ")";
  }
}
