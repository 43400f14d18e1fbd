package org.odahu.pack.pydeps.resolve;

import org.odahu.pack.pydeps.image.InstalledDistribution;
import org.odahu.pack.pydeps.index.DistributionLink;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.tags.WheelFilename;

/** A way to meet a requirement: what the base image has, or a wheel from a source. */
public sealed interface Candidate permits Candidate.Installed, Candidate.Wheel {

  /** The normalised project name. */
  String name();

  /** The version. */
  Version version();

  /**
   * The base image's distribution.
   *
   * @param distribution what the base has
   */
  record Installed(InstalledDistribution distribution) implements Candidate {
    @Override
    public String name() {
      return distribution.key();
    }

    @Override
    public Version version() {
      return distribution.version();
    }
  }

  /**
   * A wheel a source offers.
   *
   * @param link where it is
   * @param wheel its name parts
   * @param priority the rank of its best tag for the target (0 is best)
   */
  record Wheel(DistributionLink link, WheelFilename wheel, int priority) implements Candidate {
    @Override
    public String name() {
      return wheel.name();
    }

    @Override
    public Version version() {
      return wheel.version();
    }
  }
}
