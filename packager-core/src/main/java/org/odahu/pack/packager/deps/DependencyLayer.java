package org.odahu.pack.packager.deps;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.odahu.pack.pydeps.install.InstalledTree;

/**
 * A model's Python dependencies in an image.
 *
 * @param layer the layer, between the runtime jars and the model
 * @param environment what the image's environment needs for it: {@code PYTHONPATH} (and {@code
 *     PATH} when the packages have scripts) with the layer ahead of the base's values, and {@code
 *     ODAHU_PYTHON}, the base's interpreter by its absolute path
 * @param tree the installed tree the layer is made of
 */
public record DependencyLayer(
    FileEntriesLayer layer, Map<String, String> environment, InstalledTree tree) {
  public DependencyLayer {
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
  }
}
