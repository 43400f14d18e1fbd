package org.odahu.pack.pydeps.image;

import java.util.List;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.pep508.ProjectNames;
import org.odahu.pack.pydeps.pep508.Requirement;

/**
 * A Python distribution the base image already has.
 *
 * @param name the project name as its metadata writes it
 * @param version its version
 * @param metadata where its metadata is in the image, e.g. {@code
 *     /usr/lib/python3/dist-packages/numpy-1.24.2.egg-info}
 * @param requiresDist its declared requirements (Debian's packages may leave some out)
 */
public record InstalledDistribution(
    String name, Version version, String metadata, List<Requirement> requiresDist) {
  /** Copies the requirements. */
  public InstalledDistribution {
    requiresDist = List.copyOf(requiresDist);
  }

  /** The normalised project name. */
  public String key() {
    return ProjectNames.normalize(name);
  }
}
