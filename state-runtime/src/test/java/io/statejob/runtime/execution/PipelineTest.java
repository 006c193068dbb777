package io.statejob.runtime.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.Pipeline;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.DiscardSink;
import io.statejob.runtime.serialization.Serializers;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private static StreamEnvironment env() {
    return new StreamEnvironment(JobParameters.fromArgs(List.of()), RuntimeConfig.empty());
  }

  @Test
  void aPipelineWithoutKeyByIsRejected() {
    StreamEnvironment env = env();
    env.fromSource(new DatagenSource(10, 1, 1, 0)).sinkTo(new DiscardSink<>());
    assertThatThrownBy(env::pipeline).hasMessageContaining("the pipeline has no keyBy");
  }

  @Test
  void eachKeyByStartsAStageNamedByItsUid() {
    StreamEnvironment env = env();
    env.fromSource(new DatagenSource(10, 1, 1, 0))
        .filter(e -> true)
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .uid("by-key")
        .map(e -> e)
        .keyBy(e -> e.value() % 2, Serializers.LONG)
        .sinkTo(new DiscardSink<>());
    List<Stage> stages = Stage.plan(env.pipeline());
    assertThat(stages).extracting(Stage::id).containsExactly("source", "by-key", "keyBy-4");
    assertThat(stages.get(0).steps()).extracting(Pipeline.Step::uid).containsExactly("filter-1");
    assertThat(stages.get(0).output()).map(Pipeline.Step::uid).hasValue("by-key");
    assertThat(stages.get(1).steps()).extracting(Pipeline.Step::uid).containsExactly("map-3");
    assertThat(stages.get(1).output()).map(Pipeline.Step::uid).hasValue("keyBy-4");
    assertThat(stages.get(2).steps()).extracting(Pipeline.Step::uid).containsExactly("sink-5");
    assertThat(stages.get(2).output()).isEmpty();
    assertThat(stages.get(2).isKeyed()).isTrue();
    assertThat(stages.get(0).isKeyed()).isFalse();
  }

  @Test
  void stepsGetDefaultUidsAndExplicitOnesReplaceThem() {
    StreamEnvironment env = env();
    env.fromSource(new DatagenSource(10, 1, 1, 0))
        .map(e -> e)
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .uid("by-key")
        .sinkTo(new DiscardSink<>());
    assertThat(env.pipeline().steps())
        .extracting(Pipeline.Step::uid)
        .containsExactly("source", "map-1", "by-key", "sink-3");
  }

  @Test
  void theBackendChosenInCodeIsVisibleToTheRunner() throws Exception {
    JobProgram program =
        JobProgram.load(CodeChoosesBackendJob.class.getName(), Optional.empty(), List.of());
    assertThat(program.build(RuntimeConfig.empty()).stateBackend()).hasValue("filesystem");
    assertThatThrownBy(() -> JobProgram.load("no.such.Job", Optional.empty(), List.of()))
        .hasMessage("spec.job.className: class no.such.Job not found on the runtime's class path");
  }

  /** A program that sets its backend in code. */
  public static final class CodeChoosesBackendJob
      implements io.statejob.runtime.api.StateJobProgram {
    @Override
    public void build(StreamEnvironment env) {
      env.setStateBackend("filesystem");
      env.fromSource(new DatagenSource(10, 1, 1, 0))
          .keyBy(DatagenEvent::key, Serializers.STRING)
          .sinkTo(new DiscardSink<>());
    }
  }
}
