package io.statejob.runtime.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.serialization.AnyRecordSerializer;
import io.statejob.runtime.serialization.DataInputBuffer;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.snapshot.SnapshotType;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCodecTest {
  @Test
  void recordsAndEventsComeBackInOrder() throws Exception {
    BatchCodec codec = new BatchCodec(Serializers.STRING);
    List<Object> batch =
        List.of(
            new TimestampedRecord(1_700_000_000_000L, "first"),
            new ExchangeEvent.Watermark(-5),
            new TimestampedRecord(Long.MIN_VALUE, ""),
            new ExchangeEvent.Barrier(7, SnapshotType.SAVEPOINT),
            new TimestampedRecord(-3, "x".repeat(70_000)),
            new ExchangeEvent.EndOfData());
    DataOutputBuffer out = new DataOutputBuffer(16);

    codec.encode(batch, out);

    assertThat(codec.decode(new DataInputBuffer().reset(out.array(), 0, out.length())))
        .isEqualTo(batch);
  }

  @Test
  void anyRecordTravelsWithItsTypeWithoutASerializerPerKeyBy() throws Exception {
    BatchCodec codec = new BatchCodec(new AnyRecordSerializer(getClass().getClassLoader()));
    List<Object> batch =
        List.of(
            new TimestampedRecord(5, new DatagenEvent(3, "key-1", 77, 5)),
            new TimestampedRecord(6, "text"),
            new TimestampedRecord(7, 42L),
            new TimestampedRecord(8, 7),
            new TimestampedRecord(9, 2.5));
    DataOutputBuffer out = new DataOutputBuffer(16);

    codec.encode(batch, out);

    assertThat(codec.decode(new DataInputBuffer().reset(out.array(), 0, out.length())))
        .isEqualTo(batch);
  }
}
