package io.statejob.runtime.execution.window;

import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.api.windowing.TimeWindow;
import io.statejob.runtime.state.AccumulatorState;
import io.statejob.runtime.state.NamespacedState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Moves the state of merged session windows into the window that replaces them. */
@SuppressWarnings({"unchecked", "rawtypes"})
final class NamespaceMerging {
  private NamespaceMerging() {}

  /** Merges {@code sources}' entries of the current key into {@code target}; clears sources. */
  static void merge(
      NamespacedState state,
      StateDescriptor descriptor,
      TimeWindow target,
      Collection<TimeWindow> sources) {
    switch (descriptor.kind()) {
      case LIST -> mergeLists((ListState) state, target, sources);
      case REDUCING -> mergeReduced((ReducingState) state, target, sources);
      case AGGREGATING ->
          mergeAccumulators(
              (AccumulatorState) state,
              ((AggregatingStateDescriptor) descriptor).function(),
              target,
              sources);
      default ->
          throw new UnsupportedOperationException(
              descriptor.kind()
                  + " state '"
                  + descriptor.name()
                  + "' cannot be merged; session windows merge list, reducing and aggregating"
                  + " state");
    }
  }

  private static void mergeLists(
      ListState list, TimeWindow target, Collection<TimeWindow> sources) {
    List<Object> moved = new ArrayList<>();
    for (TimeWindow source : sources) {
      ((NamespacedState) list).setCurrentNamespace(source);
      Iterable<Object> elements = list.get();
      if (elements != null) {
        elements.forEach(moved::add);
      }
      list.clear();
    }
    ((NamespacedState) list).setCurrentNamespace(target);
    if (!moved.isEmpty()) {
      list.addAll(moved);
    }
  }

  private static void mergeReduced(
      ReducingState reducing, TimeWindow target, Collection<TimeWindow> sources) {
    List<Object> values = new ArrayList<>();
    for (TimeWindow source : sources) {
      ((NamespacedState) reducing).setCurrentNamespace(source);
      Object value = reducing.get();
      if (value != null) {
        values.add(value);
      }
      reducing.clear();
    }
    ((NamespacedState) reducing).setCurrentNamespace(target);
    for (Object value : values) {
      reducing.add(value);
    }
  }

  private static void mergeAccumulators(
      AccumulatorState state,
      AggregateFunction function,
      TimeWindow target,
      Collection<TimeWindow> sources) {
    NamespacedState namespaced = (NamespacedState) state;
    Object merged = null;
    for (TimeWindow source : sources) {
      namespaced.setCurrentNamespace(source);
      Object accumulator = state.accumulator();
      if (accumulator != null) {
        merged = merged == null ? accumulator : function.merge(merged, accumulator);
        namespaced.clear();
      }
    }
    namespaced.setCurrentNamespace(target);
    if (merged != null) {
      Object existing = state.accumulator();
      state.setAccumulator(existing == null ? merged : function.merge(existing, merged));
    }
  }
}
