package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.datagen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State that does not fit the job stops it at once with the reason, instead of 10 restarts. */
class IncompatibleStateTest {
  @TempDir Path temp;
  private final RecordingListener listener = new RecordingListener();

  private RuntimeConfig config(Map<String, String> extra) {
    return JobRuns.configIn(temp, "filesystem", 2, extra);
  }

  @Test
  void aStateWhoseSerializerChangedFailsTheJobWithoutARestart() throws Exception {
    JobRuns.run(KeyedCountJob.class, datagen(2_000, 0), config(Map.of()));
    JobRunner changed =
        JobRuns.runner(TextCountJob.class, datagen(4_000, 0), config(Map.of()), listener);

    assertThatThrownBy(changed::run)
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(JobFailedException.Reason.IncompatibleState))
        .hasMessageContaining("the job cannot restore")
        .hasMessageContaining("count")
        .hasMessageContaining("every restart would fail the same way");
    assertThat(listener.restarts).isEmpty();
  }

  @Test
  void anotherNumberOfKeyGroupsFailsBeforeAnyWorkerStarts() throws Exception {
    JobRuns.run(KeyedCountJob.class, datagen(2_000, 0), config(Map.of()));
    JobRunner changed =
        JobRuns.runner(
            KeyedCountJob.class,
            datagen(4_000, 0),
            config(Map.of("pipeline.max-parallelism", "64")),
            listener);

    assertThatThrownBy(changed::run)
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(JobFailedException.Reason.IncompatibleState))
        .hasMessageContaining("maxParallelism is 64")
        .hasMessageContaining("128 key groups");
    assertThat(listener.restarts).isEmpty();
  }
}
