package io.statejob.runtime.state;

import io.statejob.runtime.api.state.State;

/**
 * Keyed state further scoped by a namespace: the window, for window contents and trigger state. The
 * runtime sets the namespace before each access; user functions see the void namespace only.
 */
public interface NamespacedState extends State {
  void setCurrentNamespace(Object namespace);
}
