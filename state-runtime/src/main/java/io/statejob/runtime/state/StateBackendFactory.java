package io.statejob.runtime.state;

import io.statejob.api.config.RuntimeConfig;
import java.util.List;

/**
 * Builds a state backend from configuration. A backend is chosen by one of the names its factory
 * answers to, when the factory is registered as a {@link java.util.ServiceLoader} service (as the
 * built-in ones are), or by the fully qualified name of a class implementing this interface with a
 * public no-arg constructor.
 */
public interface StateBackendFactory {
  StateBackend create(RuntimeConfig config, ClassLoader classLoader) throws Exception;

  /** The names {@code state.backend} may give for this backend, in lower case. */
  default List<String> names() {
    return List.of();
  }
}
