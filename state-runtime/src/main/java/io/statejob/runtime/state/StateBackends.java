package io.statejob.runtime.state;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.state.heap.FileSystemStateBackendFactory;
import io.statejob.runtime.state.heap.MemoryStateBackendFactory;
import io.statejob.runtime.state.rocksdb.RocksDBStateBackendFactory;
import java.util.Locale;

/** Resolves {@code state.backend} to a backend: a built-in name or a factory class name. */
public final class StateBackends {
  private StateBackends() {}

  public static StateBackend load(RuntimeConfig config, ClassLoader classLoader) throws Exception {
    String name = config.get(RuntimeOptions.STATE_BACKEND).trim();
    StateBackendFactory factory =
        switch (name.toLowerCase(Locale.ROOT)) {
          case "memory", "jobmanager" -> new MemoryStateBackendFactory();
          case "filesystem" -> new FileSystemStateBackendFactory();
          case "rocksdb" -> new RocksDBStateBackendFactory();
          default -> customFactory(name, classLoader);
        };
    return factory.create(config, classLoader);
  }

  private static StateBackendFactory customFactory(String className, ClassLoader classLoader)
      throws ReflectiveOperationException {
    Class<?> type;
    try {
      type = Class.forName(className, true, classLoader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "state.backend: '"
              + className
              + "' is neither memory, jobmanager, filesystem, rocksdb nor a class on the class"
              + " path");
    }
    if (!StateBackendFactory.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "state.backend: "
              + className
              + " does not implement "
              + StateBackendFactory.class.getName());
    }
    return (StateBackendFactory) type.getDeclaredConstructor().newInstance();
  }
}
