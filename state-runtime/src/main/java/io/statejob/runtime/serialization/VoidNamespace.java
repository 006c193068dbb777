package io.statejob.runtime.serialization;

/** The namespace of keyed state that is not scoped to a window. */
public enum VoidNamespace {
  INSTANCE
}
