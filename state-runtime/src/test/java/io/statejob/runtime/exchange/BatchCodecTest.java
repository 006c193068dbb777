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
            new KeyedRecord(1_700_000_000_000L, 17, "first"),
            new ExchangeEvent.Watermark(-5),
            new KeyedRecord(Long.MIN_VALUE, 17, ""),
            new ExchangeEvent.Barrier(7, SnapshotType.SAVEPOINT),
            new KeyedRecord(-3, 17, "x".repeat(70_000)),
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
            new KeyedRecord(5, 17, new DatagenEvent(3, "key-1", 77, 5)),
            new KeyedRecord(6, 17, "text"),
            new KeyedRecord(7, 17, 42L),
            new KeyedRecord(8, 17, 7),
            new KeyedRecord(9, 17, 2.5));
    DataOutputBuffer out = new DataOutputBuffer(16);

    codec.encode(batch, out);

    assertThat(codec.decode(new DataInputBuffer().reset(out.array(), 0, out.length())))
        .isEqualTo(batch);
  }
}
