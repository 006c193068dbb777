package io.statejob.runtime.exchange;

import io.statejob.runtime.serialization.DataInputBuffer;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.serialization.VarInts;
import io.statejob.runtime.snapshot.SnapshotType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a batch on a network channel: {@code count} then, per element, a tag and its body: a
 * record (its timestamp, key group, then its value in the edge's serializer), or an event.
 */
public final class BatchCodec {
  private static final byte RECORD = 0;
  private static final byte BARRIER = 1;
  private static final byte WATERMARK = 2;
  private static final byte END_OF_DATA = 3;
  private static final byte IDLE = 4;

  private final TypeSerializer<Object> records;

  @SuppressWarnings("unchecked")
  public BatchCodec(TypeSerializer<?> records) {
    this.records = (TypeSerializer<Object>) records;
  }

  public void encode(List<Object> batch, DataOutputBuffer out) throws IOException {
    VarInts.write(out, batch.size());
    for (Object element : batch) {
      if (element instanceof ExchangeEvent.Barrier barrier) {
        out.writeByte(BARRIER);
        out.writeLong(barrier.checkpointId());
        out.writeByte(barrier.type().ordinal());
      } else if (element instanceof ExchangeEvent.Watermark watermark) {
        out.writeByte(WATERMARK);
        out.writeLong(watermark.timestamp());
      } else if (element instanceof ExchangeEvent.EndOfData) {
        out.writeByte(END_OF_DATA);
      } else if (element instanceof ExchangeEvent.Idle) {
        out.writeByte(IDLE);
      } else {
        KeyedRecord record = (KeyedRecord) element;
        out.writeByte(RECORD);
        out.writeLong(record.timestamp());
        VarInts.write(out, record.keyGroup());
        records.serialize(record.value(), out);
      }
    }
  }

  public List<Object> decode(DataInputBuffer in) throws IOException {
    int count = VarInts.read(in);
    List<Object> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte tag = in.readByte();
      batch.add(
          switch (tag) {
            case RECORD ->
                new KeyedRecord(in.readLong(), VarInts.read(in), records.deserialize(in));
            case BARRIER ->
                new ExchangeEvent.Barrier(in.readLong(), SnapshotType.values()[in.readByte()]);
            case WATERMARK -> new ExchangeEvent.Watermark(in.readLong());
            case END_OF_DATA -> new ExchangeEvent.EndOfData();
            case IDLE -> new ExchangeEvent.Idle();
            default -> throw new IOException("unknown element tag " + tag + " in a batch");
          });
    }
    return batch;
  }
}
