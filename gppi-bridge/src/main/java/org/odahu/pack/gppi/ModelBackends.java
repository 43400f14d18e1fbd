package org.odahu.pack.gppi;

import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.cpython.CPythonWorkerFactory;
import org.odahu.pack.gppi.pool.WorkerPool;
import org.odahu.pack.gppi.runtime.WorkerFactory;
import org.odahu.pack.gppi.runtime.WorkerFactoryProvider;

/** Creates the {@link ModelBackend} for an artifact and the runtime the options name. */
public final class ModelBackends {
  private ModelBackends() {}

  /**
   * A backend running {@code artifact}'s model; call {@link ModelBackend#start()} next. The
   * artifact must stay open while the backend runs.
   *
   * @throws UnknownRuntimeException if the options name no runtime there is
   * @throws RuntimeNotInstalledException if they name GraalPy and its module is missing
   */
  public static ModelBackend create(ModelArtifact artifact, BackendOptions options) {
    return new WorkerPool(factory(artifact, options), options);
  }

  private static WorkerFactory factory(ModelArtifact artifact, BackendOptions options) {
    if (BackendOptions.CPYTHON.equals(options.runtime())) {
      return new CPythonWorkerFactory(artifact, options);
    }
    for (WorkerFactoryProvider provider : ServiceLoader.load(WorkerFactoryProvider.class)) {
      if (provider.runtime().equals(options.runtime())) {
        return provider.create(artifact, options);
      }
    }
    if (BackendOptions.GRAALPY.equals(options.runtime())) {
      throw new RuntimeNotInstalledException(BackendOptions.GRAALPY, "gppi-graalpy");
    }
    Set<String> known = new TreeSet<>(List.of(BackendOptions.CPYTHON, BackendOptions.GRAALPY));
    ServiceLoader.load(WorkerFactoryProvider.class).forEach(p -> known.add(p.runtime()));
    throw new UnknownRuntimeException(options.runtime(), List.copyOf(known));
  }
}
