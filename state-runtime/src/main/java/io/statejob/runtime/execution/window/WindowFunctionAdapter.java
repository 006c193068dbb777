package io.statejob.runtime.execution.window;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.ProcessWindowFunction;
import io.statejob.runtime.api.WindowFunctionSpec;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.api.state.State;
import io.statejob.runtime.api.state.StateDescriptor;
import java.util.List;

/**
 * Keeps a window's contents and emits its result, as its {@link WindowFunctionSpec} describes: adds
 * each record to the contents state, and on firing passes the contents (or the one reduced or
 * aggregated value) to the window function.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class WindowFunctionAdapter {
  private final StateDescriptor contents;
  private final ProcessWindowFunction windowFunction;

  WindowFunctionAdapter(WindowFunctionSpec spec) {
    this.contents = spec.contents();
    this.windowFunction = spec.windowFunction();
  }

  StateDescriptor contentsDescriptor() {
    return contents;
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
