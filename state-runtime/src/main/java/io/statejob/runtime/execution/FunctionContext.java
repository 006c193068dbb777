package io.statejob.runtime.execution;

import io.statejob.runtime.api.RuntimeContext;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.MapState;
import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.api.state.State;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.state.KeyedStateBackend;

/** The runtime context of one function: keyed state scoped by its uid. */
final class FunctionContext implements RuntimeContext {
  private final String uid;
  private final int subtaskIndex;
  private final int parallelism;
  private final KeyedStateBackend<?> keyedState;
  private final boolean keyed;

  FunctionContext(
      String uid,
      int subtaskIndex,
      int parallelism,
      KeyedStateBackend<?> keyedState,
      boolean keyed) {
    this.uid = uid;
    this.subtaskIndex = subtaskIndex;
    this.parallelism = parallelism;
    this.keyedState = keyedState;
    this.keyed = keyed;
  }

  @Override
  public int subtaskIndex() {
    return subtaskIndex;
  }

  @Override
  public int parallelism() {
    return parallelism;
  }

  @Override
  public String uid() {
    return uid;
  }

  @SuppressWarnings("unchecked")
  private <S extends State> S state(StateDescriptor descriptor) {
    if (!keyed) {
      throw new IllegalStateException(
          "'" + uid + "' asks for keyed state '" + descriptor.name() + "' but runs before keyBy");
    }
    return (S) keyedState.getOrCreateState(uid + "." + descriptor.name(), descriptor);
  }

  @Override
  public <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor) {
    return state(descriptor);
  }

  @Override
  public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
    return state(descriptor);
  }

  @Override
  public <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor) {
    return state(descriptor);
  }

  @Override
  public <T> ReducingState<T> getReducingState(ReducingStateDescriptor<T> descriptor) {
    return state(descriptor);
  }

  @Override
  public <IN, ACC, OUT> AggregatingState<IN, OUT> getAggregatingState(
      AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
    return state(descriptor);
  }
}
