package io.statejob.runtime.state.ttl;

import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.api.state.StateTtlConfig;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.serialization.TtlSerializer;
import io.statejob.runtime.serialization.TtlValue;
import io.statejob.runtime.state.NamespacedState;
import io.statejob.runtime.state.TtlTimeProvider;
import java.util.function.LongPredicate;
import java.util.function.UnaryOperator;

/**
 * States with a time to live, as Flink builds them: the backend stores a state of the same kind and
 * name whose entries are {@link TtlValue}s, and a decorator of the user's state type checks and
 * stamps them. Every backend gets the same behaviour this way.
 */
public final class TtlStateFactory {
  private TtlStateFactory() {}

  /**
   * @param stored the descriptor the backend creates the state from
   * @param decorator turns the state created from {@code stored} into the user's
   */
  public record TtlState(StateDescriptor stored, UnaryOperator<NamespacedState> decorator) {}

  /** A backend's incremental cleanup of one state ({@code KeyedStateBackend.cleanUpExpired}). */
  @FunctionalInterface
  public interface Cleanup {
    void cleanUpExpired(int budget, LongPredicate expired);
  }

  /**
   * The stored descriptor and the decorator for {@code descriptor}, which expires as {@code config}
   * says by {@code clock}; each access to the state runs {@code cleanup} over the configured number
   * of entries.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static TtlState of(
      StateDescriptor descriptor, StateTtlConfig config, TtlTimeProvider clock, Cleanup cleanup) {
    TtlPolicy policy = new TtlPolicy(config, clock);
    int budget = config.cleanupSize();
    Runnable step =
        budget == 0 ? () -> {} : () -> cleanup.cleanUpExpired(budget, policy::expiredAt);
    String name = descriptor.name();
    TtlSerializer<?> entries = new TtlSerializer<>(descriptor.valueSerializer());
    return switch (descriptor.kind()) {
      case VALUE ->
          new TtlState(
              new ValueStateDescriptor<>(name, entries),
              stored -> new TtlValueState<>(stored, policy, step));
      case LIST ->
          new TtlState(
              new ListStateDescriptor<>(name, entries),
              stored -> new TtlListState<>(stored, policy, step));
      case MAP ->
          new TtlState(
              new MapStateDescriptor<>(
                  name, ((MapStateDescriptor<?, ?>) descriptor).userKeySerializer(), entries),
              stored -> new TtlMapState<>(stored, policy, step));
      case REDUCING ->
          new TtlState(
              new ReducingStateDescriptor(
                  name,
                  TtlReducingState.function(
                      ((ReducingStateDescriptor) descriptor).function(), policy),
                  entries),
              stored -> new TtlReducingState<>(stored, policy, step));
      case AGGREGATING -> {
        TtlAggregatingState.Function function =
            new TtlAggregatingState.Function(
                ((AggregatingStateDescriptor) descriptor).function(), policy);
        yield new TtlState(
            new AggregatingStateDescriptor(name, function, entries),
            stored -> new TtlAggregatingState<>(stored, policy, step, function));
      }
    };
  }
}
