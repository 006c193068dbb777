package io.statejob.runtime.api.state;

/** The forms keyed state takes; stored in checkpoint metadata. */
public enum StateKind {
  VALUE,
  LIST,
  MAP,
  REDUCING,
  AGGREGATING
}
