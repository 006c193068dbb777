package io.statejob.runtime.state;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Resolves {@code state.backend} to a backend: a name of a registered factory (the built-in {@code
 * memory}, {@code jobmanager}, {@code filesystem}, {@code rocksdb}) or a factory class name.
 */
public final class StateBackends {
  private StateBackends() {}

  public static StateBackend load(RuntimeConfig config, ClassLoader classLoader) throws Exception {
    String name = backendName(config);
    List<String> knownNames = new ArrayList<>();
    for (StateBackendFactory factory : ServiceLoader.load(StateBackendFactory.class, classLoader)) {
      if (factory.names().contains(name.toLowerCase(Locale.ROOT))) {
        return factory.create(config, classLoader);
      }
      knownNames.addAll(factory.names());
    }
    return customFactory(name, knownNames, classLoader).create(config, classLoader);
  }

  /**
   * The backend {@code state.backend} names. Flink's {@code hashmap} is heap state whose
   * checkpoints go where {@code state.checkpoint-storage} says: the memory backend for {@code
   * jobmanager} or when no checkpoint directory is set, else the filesystem backend.
   */
  static String backendName(RuntimeConfig config) {
    String name = config.get(RuntimeOptions.STATE_BACKEND).trim();
    if (!name.equalsIgnoreCase("hashmap")) {
      return name;
    }
    boolean toJobManager =
        config
            .getOptional(RuntimeOptions.CHECKPOINT_STORAGE)
            .map(storage -> storage.trim().equalsIgnoreCase("jobmanager"))
            .orElse(config.getOptional(RuntimeOptions.CHECKPOINTS_DIR).isEmpty());
    return toJobManager ? "memory" : "filesystem";
  }

  private static StateBackendFactory customFactory(
      String className, List<String> knownNames, ClassLoader classLoader)
      throws ReflectiveOperationException {
    Class<?> type;
    try {
      type = Class.forName(className, true, classLoader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "state.backend: '"
              + className
              + "' is neither "
              + String.join(", ", knownNames)
              + " nor a class on the class path");
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
