package io.statejob.runtime.state.heap;

/**
 * The map key of state in a namespace other than the void one. State outside windows is keyed by
 * the user key alone, which saves an allocation per access.
 */
record NamespacedKey(Object key, Object namespace) {}
