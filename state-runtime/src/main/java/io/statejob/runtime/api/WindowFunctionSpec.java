package io.statejob.runtime.api;

import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.ReduceFunction;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.serialization.TypeSerializer;

/**
 * How a window keeps its contents and turns them into output, as the program declared it: reduce
 * and aggregate keep one value per window and update it with each record; process keeps every
 * record in a list until the window fires. A {@link ProcessWindowFunction} may follow reduce and
 * aggregate to add key and window.
 *
 * @param contents the state of a window's contents: reducing, aggregating or list state
 * @param windowFunction computes the output when the window fires; null with reduce and aggregate
 *     emits the reduced or aggregated value itself
 */
public record WindowFunctionSpec(
    StateDescriptor contents, ProcessWindowFunction<?, ?, ?> windowFunction) {
  private static final String CONTENTS = "window-contents";

  public static <T> WindowFunctionSpec reduce(
      ReduceFunction<T> function,
      TypeSerializer<T> serializer,
      ProcessWindowFunction<T, ?, ?> windowFunction) {
    return new WindowFunctionSpec(
        new ReducingStateDescriptor<>(CONTENTS, function, serializer), windowFunction);
  }

  public static <T, A> WindowFunctionSpec aggregate(
      AggregateFunction<T, A, ?> function,
      TypeSerializer<A> accumulatorSerializer,
      ProcessWindowFunction<?, ?, ?> windowFunction) {
    return new WindowFunctionSpec(
        new AggregatingStateDescriptor<>(CONTENTS, function, accumulatorSerializer),
        windowFunction);
  }

  public static <T> WindowFunctionSpec process(
      ProcessWindowFunction<T, ?, ?> windowFunction, TypeSerializer<T> elementSerializer) {
    return new WindowFunctionSpec(
        new ListStateDescriptor<>(CONTENTS, elementSerializer), windowFunction);
  }
}
