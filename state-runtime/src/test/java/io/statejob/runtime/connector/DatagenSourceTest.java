package io.statejob.runtime.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.runtime.api.Source;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatagenSourceTest {
  @Test
  void aReaderFromAnyOffsetReplaysTheSameEvents() throws Exception {
    DatagenSource source = new DatagenSource(1000, 50, 7, 0);
    List<DatagenEvent> all = readAll(source.createReader(0));
    assertThat(all).hasSize(1000);
    assertThat(readAll(source.createReader(600))).isEqualTo(all.subList(600, 1000));
    assertThat(all)
        .extracting(DatagenEvent::key)
        .allMatch(k -> k.matches("key-\\d+"))
        .hasSizeGreaterThan(0);
    assertThat(all.stream().map(DatagenEvent::key).distinct().count()).isEqualTo(50);
    assertThat(all.get(3).timestamp()).isEqualTo(DatagenSource.BASE_TIMESTAMP + 30);
    assertThat(new DatagenSource(1000, 50, 8, 0).eventAt(3)).isNotEqualTo(all.get(3));
  }

  @Test
  void aRateLimitedReaderHoldsBackEventsThatAreNotDueYet() throws Exception {
    Source.Reader<DatagenEvent> reader = new DatagenSource(-1, 10, 1, 10).createReader(0);
    assertThat(reader.next()).isNotNull();
    assertThat(reader.next()).isNull();
    assertThat(reader.nanosUntilNext()).isBetween(1L, 100_000_000L);
    assertThat(reader.isFinished()).isFalse();
  }

  private static List<DatagenEvent> readAll(Source.Reader<DatagenEvent> reader) throws Exception {
    List<DatagenEvent> events = new ArrayList<>();
    for (DatagenEvent e = reader.next(); e != null; e = reader.next()) {
      events.add(e);
    }
    assertThat(reader.isFinished()).isTrue();
    return events;
  }
}
