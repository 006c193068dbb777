package io.statejob.runtime.api.state;

/** Keyed state scoped to the key of the record being processed. */
public interface State {
  /** Removes the value for the current key. */
  void clear();
}
