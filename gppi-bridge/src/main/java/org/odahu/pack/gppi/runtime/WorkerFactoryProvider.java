package org.odahu.pack.gppi.runtime;

import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.BackendOptions;

/**
 * A runtime found with {@link java.util.ServiceLoader}, so optional runtimes (GraalPy) stay off the
 * default class path.
 */
public interface WorkerFactoryProvider {

  /** The runtime's name, as in {@link BackendOptions#runtime()}. */
  String runtime();

  /** A factory of workers running {@code artifact}'s model. */
  WorkerFactory create(ModelArtifact artifact, BackendOptions options);
}
