package org.odahu.pack.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifests' YAML reads back as written, also in YAML 1.1 readers (PyYAML, Ansible). */
class ManifestYamlTest {
  @Test
  void stringsAYaml11ReaderTakesForNumbersOrFoldsAreQuoted() throws Exception {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("base60", "1:20");
    data.put("clock", "12:30:00");
    data.put("nel", "a\u0085b");
    data.put("separator", "a\u2028b");
    data.put("date", "2001-12-14");
    data.put("time", "2001-12-14t21:59:43.10-05:00");
    data.put("value", "=");
    data.put("merge", "<<");
    data.put("plain", "wine-1.0");
    data.put("url", "http://host:5000/path");
    ConfigMap map =
        new ConfigMapBuilder().withNewMetadata().withName("m").endMetadata().withData(data).build();
    String yaml = new ManifestYaml().document(map);
    assertTrue(yaml.contains("base60: \"1:20\""), yaml);
    assertTrue(yaml.contains("clock: \"12:30:00\""), yaml);
    assertTrue(yaml.contains("nel: \""), yaml);
    assertTrue(yaml.contains("separator: \""), yaml);
    for (String key : List.of("date", "time", "value", "merge")) {
      assertTrue(yaml.contains(key + ": \"" + data.get(key) + "\""), yaml);
    }
    assertTrue(yaml.contains("plain: wine-1.0"), "left plain: " + yaml);
    assertTrue(yaml.contains("url: http://host:5000/path"), "left plain: " + yaml);
    assertEquals(data, new YAMLMapper().readValue(yaml, ConfigMap.class).getData());
  }
}
