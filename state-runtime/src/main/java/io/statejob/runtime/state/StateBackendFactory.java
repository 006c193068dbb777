package io.statejob.runtime.state;

import io.statejob.api.config.RuntimeConfig;

/**
 * Builds a state backend from configuration. Built-in backends are chosen by name; a custom one by
 * the fully qualified name of a class implementing this interface with a public no-arg constructor.
 */
public interface StateBackendFactory {
  StateBackend create(RuntimeConfig config, ClassLoader classLoader) throws Exception;
}
