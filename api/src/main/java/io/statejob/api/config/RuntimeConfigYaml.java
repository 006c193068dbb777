package io.statejob.api.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runtime's YAML config file. Keys may be flat ({@code state.backend: rocksdb}) or nested
 * ({@code state: {backend: rocksdb}}), as in Flink's config.yaml.
 */
public final class RuntimeConfigYaml {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RuntimeConfigYaml() {}

  public static RuntimeConfig read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  public static RuntimeConfig parse(String yaml) throws IOException {
    Object root = YAML.readValue(yaml, Object.class);
    if (root instanceof Map<?, ?> map) {
      return fromMap(map);
    } else if (root != null) {
      throw new IOException("runtime config must be a map of keys to values");
    }
    return RuntimeConfig.empty();
  }

  /** Runtime config from an already parsed YAML map, flat or nested. */
  public static RuntimeConfig fromMap(Map<?, ?> map) {
    Map<String, String> flat = new TreeMap<>();
    flatten("", map, flat);
    return RuntimeConfig.of(flat);
  }

  public static String write(RuntimeConfig config) throws IOException {
    return YAML.writeValueAsString(config.asMap());
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
    map.forEach(
        (k, v) -> {
          String key = prefix + k;
          if (v instanceof Map<?, ?> nested) {
            flatten(key + ".", nested, out);
          } else if (v instanceof List<?> list) {
            out.put(key, String.join(";", list.stream().map(String::valueOf).toList()));
          } else if (v != null) {
            out.put(key, String.valueOf(v));
          }
        });
  }
}
