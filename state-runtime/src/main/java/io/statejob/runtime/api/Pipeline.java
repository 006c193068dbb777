package io.statejob.runtime.api;

import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import io.statejob.runtime.serialization.TypeSerializer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A job's pipeline as its program declared it: {@code source → (map|filter)* → (keyBy →
 * (process|window|map|filter)*)+ → sink?}. Each step has a uid that scopes its state.
 */
public final class Pipeline {
  /** One step of the pipeline. */
  public sealed interface Step {
    String uid();

    /** The user object behind this step: a function, selector, source or sink. */
    Object function();

    Step withUid(String uid);
  }

  /** The source whose splits the workers share, and how event time is derived from it. */
  public record SourceStep(String uid, Source<?> source, WatermarkStrategy<?> watermarks)
      implements Step {
    @Override
    public Object function() {
      return source;
    }

    @Override
    public Step withUid(String uid) {
      return new SourceStep(uid, source, watermarks);
    }
  }

  /** A record-by-record transformation. */
  public record MapStep(String uid, MapFunction<?, ?> function) implements Step {
    @Override
    public Step withUid(String uid) {
      return new MapStep(uid, function);
    }
  }

  /** Drops records. */
  public record FilterStep(String uid, FilterFunction<?> function) implements Step {
    @Override
    public Step withUid(String uid) {
      return new FilterStep(uid, function);
    }
  }

  /** The partitioning point: sends each record to the worker that owns its key group. */
  public record KeyByStep(String uid, KeySelector<?, ?> selector, TypeSerializer<?> keySerializer)
      implements Step {
    @Override
    public Object function() {
      return selector;
    }

    @Override
    public Step withUid(String uid) {
      return new KeyByStep(uid, selector, keySerializer);
    }
  }

  /** A keyed function with state. */
  public record ProcessStep(String uid, KeyedProcessFunction<?, ?, ?> function) implements Step {
    @Override
    public Step withUid(String uid) {
      return new ProcessStep(uid, function);
    }
  }

  /** Windows on the keyed stream. */
  public record WindowStep(String uid, WindowSpec spec) implements Step {
    @Override
    public Object function() {
      return spec.function().windowFunction();
    }

    @Override
    public Step withUid(String uid) {
      return new WindowStep(uid, spec);
    }
  }

  /** The end of the pipeline. */
  public record SinkStep(String uid, Sink<?> sink) implements Step {
    @Override
    public Object function() {
      return sink;
    }

    @Override
    public Step withUid(String uid) {
      return new SinkStep(uid, sink);
    }
  }

  private final List<Step> steps;

  private Pipeline(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public List<Step> steps() {
    return steps;
  }

  public SourceStep source() {
    return (SourceStep) steps.get(0);
  }

  /** Collects steps as the program declares them and checks the shape at the end. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();
    private final Set<String> explicitUids = new HashSet<>();

    public void source(Source<?> source, WatermarkStrategy<?> watermarks) {
      if (!steps.isEmpty()) {
        throw new IllegalStateException("a pipeline has one source, declared first");
      }
      steps.add(new SourceStep("source", source, watermarks));
    }

    public void map(MapFunction<?, ?> function) {
      add(new MapStep(defaultUid("map"), function));
    }

    public void filter(FilterFunction<?> function) {
      add(new FilterStep(defaultUid("filter"), function));
    }

    public void keyBy(KeySelector<?, ?> selector, TypeSerializer<?> keySerializer) {
      add(new KeyByStep(defaultUid("keyBy"), selector, keySerializer));
    }

    public void process(KeyedProcessFunction<?, ?, ?> function) {
      add(new ProcessStep(defaultUid("process"), function));
    }

    public void window(WindowSpec spec) {
      add(new WindowStep(defaultUid("window"), spec));
    }

    public void sink(Sink<?> sink) {
      add(new SinkStep(defaultUid("sink"), sink));
    }

    /** Renames the last step. */
    public void uid(String uid) {
      if (steps.isEmpty()) {
        throw new IllegalStateException("uid() names the step before it; there is none");
      }
      if (!explicitUids.add(uid)) {
        throw new IllegalStateException("uid '" + uid + "' is used twice");
      }
      steps.add(steps.remove(steps.size() - 1).withUid(uid));
    }

    public Pipeline build() {
      if (steps.isEmpty() || !(steps.get(0) instanceof SourceStep)) {
        throw new IllegalStateException("the program declared no source (env.fromSource(...))");
      }
      if (steps.stream().noneMatch(KeyByStep.class::isInstance)) {
        throw new IllegalStateException(
            "the pipeline has no keyBy: each worker processes the keys of its key groups, so a"
                + " pipeline must be keyed");
      }
      return new Pipeline(steps);
    }

    private void add(Step step) {
      if (steps.isEmpty()) {
        throw new IllegalStateException("declare the source first (env.fromSource(...))");
      }
      if (steps.get(steps.size() - 1) instanceof SinkStep) {
        throw new IllegalStateException("nothing may follow a sink");
      }
      steps.add(step);
    }

    private String defaultUid(String kind) {
      return kind + "-" + steps.size();
    }
  }
}
