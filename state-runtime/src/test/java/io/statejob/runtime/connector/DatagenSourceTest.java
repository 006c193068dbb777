package io.statejob.runtime.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.runtime.api.Source;
import io.statejob.runtime.api.SourceSplit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatagenSourceTest {
  @Test
  void aReaderFromAnyOffsetReplaysTheSameEvents() throws Exception {
    DatagenSource source = new DatagenSource(1000, 50, 7, 0, 0, 1);
    SourceSplit only = source.splits().get(0);
    List<DatagenEvent> all = readAll(source.createReader(only, 0));
    assertThat(all).hasSize(1000);
    assertThat(readAll(source.createReader(only, 600))).isEqualTo(all.subList(600, 1000));
    assertThat(all)
        .extracting(DatagenEvent::key)
        .allMatch(k -> k.matches("key-\\d+"))
        .hasSizeGreaterThan(0);
    assertThat(all.stream().map(DatagenEvent::key).distinct().count()).isEqualTo(50);
    assertThat(all.get(3).timestamp()).isEqualTo(DatagenSource.BASE_TIMESTAMP + 30);
    assertThat(new DatagenSource(1000, 50, 8, 0).eventAt(3)).isNotEqualTo(all.get(3));
  }

  @Test
  void theSplitsTogetherHoldEveryEventOnceWhateverTheirNumber() throws Exception {
    DatagenSource one = new DatagenSource(1003, 50, 7, 0, 0, 1);
    List<DatagenEvent> expected = readAll(one.createReader(one.splits().get(0), 0));
    DatagenSource four = new DatagenSource(1003, 50, 7, 0, 0, 4);
    assertThat(four.splits())
        .extracting(SourceSplit::id)
        .containsExactly("datagen-00000", "datagen-00001", "datagen-00002", "datagen-00003");
    List<DatagenEvent> union = new ArrayList<>();
    for (SourceSplit split : four.splits()) {
      List<DatagenEvent> events = readAll(four.createReader(split, 0));
      int index = four.splits().indexOf(split);
      assertThat(events).allMatch(e -> e.sequence() % 4 == index);
      union.addAll(events);
    }
    union.sort(Comparator.comparingLong(DatagenEvent::sequence));
    assertThat(union).isEqualTo(expected);
  }

  @Test
  void aSplitTheSourceDoesNotHaveIsRefusedWithTheReason() {
    DatagenSource two = new DatagenSource(100, 5, 7, 0, 0, 2);
    assertThatThrownBy(() -> two.createReader(new SourceSplit("datagen-00003"), 0))
        .hasMessageContaining("not one of datagen's 2 splits")
        .hasMessageContaining("--splits");
  }

  @Test
  void aRateLimitedReaderHoldsBackEventsThatAreNotDueYet() throws Exception {
    DatagenSource source = new DatagenSource(-1, 10, 1, 10, 0, 1);
    Source.Reader<DatagenEvent> reader = source.createReader(source.splits().get(0), 0);
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
