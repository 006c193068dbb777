package io.statejob.runtime.state.heap;

/** The map key of state in a namespace other than the void one. */
record NamespacedKey(Object key, Object namespace) {}
