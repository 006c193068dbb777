package io.statejob.runtime.state.heap;

/**
 * A mutable state value (a list, a map, an accumulator) stamped with the epoch of the map it was
 * written in. A value from an older epoch may be shared with a snapshot and is copied before it
 * changes.
 */
final class CowBox {
  final int epoch;
  final Object value;

  CowBox(int epoch, Object value) {
    this.epoch = epoch;
    this.value = value;
  }

  static Object unwrap(Object stored) {
    return stored instanceof CowBox box ? box.value : stored;
  }
}
