package io.statejob.runtime.exchange;

import static org.assertj.core.api.Assertions.assertThat;

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
            "first",
            new ExchangeEvent.Watermark(-5),
            "",
            new ExchangeEvent.Barrier(7, SnapshotType.SAVEPOINT),
            "x".repeat(70_000),
            new ExchangeEvent.EndOfData());
    DataOutputBuffer out = new DataOutputBuffer(16);

    codec.encode(batch, out);

    assertThat(codec.decode(new DataInputBuffer().reset(out.array(), 0, out.length())))
        .isEqualTo(batch);
  }
}
