package io.statejob.runtime.execution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a worker and a job report: the lowest event time of their stages, their sources' backlog.
 */
class WorkerCountersTest {
  private static WorkerCounters at(long watermark) {
    return new WorkerCounters(1, 1, 0, 0, 0, 0, watermark, -1);
  }

  @Test
  void theLowestWatermarkHoldsEventTimeBackAndSourcesHoldNone() {
    WorkerCounters job =
        WorkerCounters.NONE.plus(at(5_000)).plus(at(Long.MAX_VALUE)).plus(at(3_000));
    assertThat(job.watermark()).isEqualTo(3_000);
    assertThat(job.recordsRead()).isEqualTo(3);
    assertThat(job.watermarkLagSeconds(10_000)).isEqualTo(7.0);
  }

  @Test
  void withoutEventTimeThereIsNoLag() {
    assertThat(WorkerCounters.NONE.watermarkLagSeconds(10_000)).isNaN();
    assertThat(at(Long.MIN_VALUE).plus(at(5_000)).watermarkLagSeconds(10_000))
        .as("a stage before its first watermark holds the job back without a number")
        .isNaN();
  }

  private static WorkerCounters pending(long records) {
    return new WorkerCounters(0, 0, 0, 0, 0, 0, Long.MAX_VALUE, records);
  }

  @Test
  void pendingRecordsAddUpOverTheSourcesThatKnowThemAndAreUnknownWhereNoneDoes() {
    assertThat(WorkerCounters.NONE.plus(pending(-1)).pendingRecordsOrNaN()).isNaN();
    assertThat(WorkerCounters.NONE.plus(pending(5)).plus(pending(-1)).pendingRecords())
        .isEqualTo(5);
    assertThat(pending(3).plus(pending(5)).plus(pending(0)).pendingRecords()).isEqualTo(8);
  }
}
