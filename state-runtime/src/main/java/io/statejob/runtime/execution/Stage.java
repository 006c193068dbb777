package io.statejob.runtime.execution;

import io.statejob.runtime.api.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A part of the pipeline that a worker runs on one thread: the source and the steps up to the first
 * {@code keyBy} (stage 0), or what follows a {@code keyBy} up to the next one. Records cross from
 * one stage to the next through the exchange, to the worker that owns their key group.
 *
 * @param index the stage's place in the pipeline, from 0
 * @param id names the stage's state in checkpoints: {@code source}, or the uid of its {@code keyBy}
 * @param input the {@code keyBy} that partitions the stage's input; empty for the source stage
 * @param steps the stage's steps after the source or the {@code keyBy}
 * @param output the {@code keyBy} that partitions the stage's output; empty for the last stage
 */
record Stage(
    int index,
    String id,
    Optional<Pipeline.KeyByStep> input,
    List<Pipeline.Step> steps,
    Optional<Pipeline.KeyByStep> output) {

  static final String SOURCE = "source";

  boolean isKeyed() {
    return input.isPresent();
  }

  /** Cuts {@code pipeline} at each {@code keyBy}. */
  static List<Stage> plan(Pipeline pipeline) {
    List<List<Pipeline.Step>> parts = new ArrayList<>();
    List<Pipeline.KeyByStep> keyBys = new ArrayList<>();
    List<Pipeline.Step> current = new ArrayList<>();
    for (Pipeline.Step step : pipeline.steps().subList(1, pipeline.steps().size())) {
      if (step instanceof Pipeline.KeyByStep keyBy) {
        parts.add(current);
        keyBys.add(keyBy);
        current = new ArrayList<>();
      } else {
        current.add(step);
      }
    }
    parts.add(current);
    List<Stage> stages = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      Optional<Pipeline.KeyByStep> input =
          i == 0 ? Optional.empty() : Optional.of(keyBys.get(i - 1));
      Optional<Pipeline.KeyByStep> output =
          i < keyBys.size() ? Optional.of(keyBys.get(i)) : Optional.empty();
      stages.add(
          new Stage(
              i,
              input.map(Pipeline.KeyByStep::uid).orElse(SOURCE),
              input,
              List.copyOf(parts.get(i)),
              output));
    }
    return List.copyOf(stages);
  }
}
