package io.statejob.runtime.state.ttl;

import io.statejob.runtime.state.NamespacedState;

/**
 * A state with a time to live over the state that stores its entries with their timestamps: the
 * decorator checks and stamps entries, the backend stores them as any others.
 */
abstract class AbstractTtlState implements NamespacedState {
  final NamespacedState stored;
  final TtlPolicy policy;
  private final Runnable cleanup;

  AbstractTtlState(NamespacedState stored, TtlPolicy policy, Runnable cleanup) {
    this.stored = stored;
    this.policy = policy;
    this.cleanup = cleanup;
  }

  /** Every access to the state moves the incremental cleanup on. */
  final void accessed() {
    cleanup.run();
  }

  @Override
  public final void setCurrentNamespace(Object namespace) {
    stored.setCurrentNamespace(namespace);
  }

  @Override
  public final void clear() {
    accessed();
    stored.clear();
  }
}
