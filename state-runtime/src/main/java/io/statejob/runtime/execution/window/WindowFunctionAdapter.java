package io.statejob.runtime.execution.window;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.RichFunction;
import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.ReduceFunction;
import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.api.state.State;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.api.windowing.ProcessWindowFunction;
import io.statejob.runtime.serialization.TypeSerializer;
import java.util.List;

/**
 * How a window keeps its contents and turns them into output: reduce and aggregate keep one value
 * per window and update it with each record; process keeps every record in a list until the window
 * fires. A {@link ProcessWindowFunction} may follow reduce and aggregate to add key and window.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class WindowFunctionAdapter {
  private static final String CONTENTS = "window-contents";

  private final StateDescriptor contents;
  private final ProcessWindowFunction windowFunction;

  private WindowFunctionAdapter(StateDescriptor contents, ProcessWindowFunction windowFunction) {
    this.contents = contents;
    this.windowFunction = windowFunction;
  }

  public static <T> WindowFunctionAdapter reduce(
      ReduceFunction<T> function,
      TypeSerializer<T> serializer,
      ProcessWindowFunction<T, ?, ?> windowFunction) {
    return new WindowFunctionAdapter(
        new ReducingStateDescriptor<>(CONTENTS, function, serializer), windowFunction);
  }

  public static <T, A> WindowFunctionAdapter aggregate(
      AggregateFunction<T, A, ?> function,
      TypeSerializer<A> accumulatorSerializer,
      ProcessWindowFunction<?, ?, ?> windowFunction) {
    return new WindowFunctionAdapter(
        new AggregatingStateDescriptor<>(CONTENTS, function, accumulatorSerializer),
        windowFunction);
  }

  public static <T> WindowFunctionAdapter process(
      ProcessWindowFunction<T, ?, ?> windowFunction, TypeSerializer<T> elementSerializer) {
    return new WindowFunctionAdapter(
        new ListStateDescriptor<>(CONTENTS, elementSerializer), windowFunction);
  }

  StateDescriptor contentsDescriptor() {
    return contents;
  }

  /** The user's window function, if any, for its life cycle. */
  public RichFunction userFunction() {
    return windowFunction;
  }

  void add(State state, Object record) throws Exception {
    if (state instanceof ListState list) {
      list.add(record);
    } else if (state instanceof ReducingState reducing) {
      reducing.add(record);
    } else {
      ((AggregatingState) state).add(record);
    }
  }

  /** Emits the window's result; an empty window emits nothing. */
  void emit(Object key, State state, ProcessWindowFunction.Context context, Collector<Object> out)
      throws Exception {
    Iterable<Object> elements;
    if (state instanceof ListState list) {
      elements = (Iterable<Object>) list.get();
      if (elements == null || !elements.iterator().hasNext()) {
        return;
      }
    } else {
      Object value =
          state instanceof ReducingState reducing
              ? reducing.get()
              : ((AggregatingState) state).get();
      if (value == null) {
        return;
      }
      if (windowFunction == null) {
        out.collect(value);
        return;
      }
      elements = List.of(value);
    }
    windowFunction.process(key, context, elements, out);
  }
}
