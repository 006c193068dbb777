package io.statejob.runtime.api.state;

/**
 * Non-keyed state of one function instance, redistributed when the parallelism changes: {@link
 * #getListState} splits the union of all lists evenly; {@link #getUnionListState} gives every
 * instance all elements.
 */
public interface OperatorStateStore {
  <T> ListState<T> getListState(ListStateDescriptor<T> descriptor);

  <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor);
}
