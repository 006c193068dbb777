package io.statejob.runtime.execution;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeySelector;
import io.statejob.runtime.api.Pipeline;
import io.statejob.runtime.exchange.KeyedRecord;
import io.statejob.runtime.exchange.RecordWriter;
import io.statejob.runtime.execution.operators.RecordContext;
import io.statejob.runtime.keygroup.KeyGroups;
import io.statejob.runtime.serialization.TypeSerializer;

/**
 * The end of a stage followed by a {@code keyBy}: sends each record, with its timestamp, to the
 * worker that owns its key group.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class KeyedOutput implements Collector<Object> {
  private final KeySelector selector;
  private final KeyGroups.Assigner assigner;
  private final int maxParallelism;
  private final int parallelism;
  private final int subtask;
  private final RecordWriter writer;
  private final RecordContext record;
  private long sentToOthers;

  KeyedOutput(
      Pipeline.KeyByStep keyBy,
      int maxParallelism,
      int parallelism,
      int subtask,
      RecordWriter writer,
      RecordContext record) {
    this.selector = keyBy.selector();
    this.assigner = new KeyGroups.Assigner((TypeSerializer) keyBy.keySerializer(), maxParallelism);
    this.maxParallelism = maxParallelism;
    this.parallelism = parallelism;
    this.subtask = subtask;
    this.writer = writer;
    this.record = record;
  }

  @Override
  public void collect(Object value) throws Exception {
    int keyGroup = assigner.keyGroupOf(selector.getKey(value));
    int owner = KeyGroups.ownerOf(maxParallelism, parallelism, keyGroup);
    if (owner != subtask) {
      sentToOthers++;
    }
    writer.emit(new KeyedRecord(record.timestamp, keyGroup, value), owner);
  }

  /** The writer the records go out on; events go on it too, behind them. */
  RecordWriter writer() {
    return writer;
  }

  /** Records sent to another worker. */
  long sentToOthers() {
    return sentToOthers;
  }
}
