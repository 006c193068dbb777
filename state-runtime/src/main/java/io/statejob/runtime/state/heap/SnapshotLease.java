package io.statejob.runtime.state.heap;

/**
 * Held by a snapshot while it reads pinned maps. Released from the snapshot thread; read on the
 * task thread, hence volatile.
 */
final class SnapshotLease {
  private volatile boolean released;

  boolean isReleased() {
    return released;
  }

  void release() {
    released = true;
  }
}
