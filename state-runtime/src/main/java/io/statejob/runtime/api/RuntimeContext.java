package io.statejob.runtime.api;

import io.statejob.runtime.api.state.KeyedStateStore;

/** What a function sees of the worker it runs on, and its keyed state when it has a key. */
public interface RuntimeContext extends KeyedStateStore {
  int subtaskIndex();

  int parallelism();

  /** The function's uid: the scope of its state names. */
  String uid();
}
