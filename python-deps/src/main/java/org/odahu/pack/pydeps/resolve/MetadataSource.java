package org.odahu.pack.pydeps.resolve;

import org.odahu.pack.pydeps.pep508.CoreMetadata;

/** Where the resolver gets a wheel's METADATA: the source (PEP 658) or the downloaded wheel. */
public interface MetadataSource {
  /** The core metadata of {@code wheel}. */
  CoreMetadata metadata(Candidate.Wheel wheel);
}
