package io.statejob.runtime.snapshot;

import java.io.IOException;

/** Receives the blocks a snapshot is read as: the entries of one state in one key group. */
@FunctionalInterface
public interface KeyGroupBlockConsumer {
  void accept(StateMeta state, int keyGroup, byte[] block) throws IOException;
}
