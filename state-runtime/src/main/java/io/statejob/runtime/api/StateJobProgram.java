package io.statejob.runtime.api;

/**
 * A job: builds its pipeline on the environment. The runtime calls {@link #build} once per worker,
 * so every worker gets its own function instances; it must build the same pipeline every time.
 */
public interface StateJobProgram {
  void build(StreamEnvironment env) throws Exception;
}
