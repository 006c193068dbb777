package io.statejob.runtime.execution.time;

import io.statejob.runtime.api.TimeDomain;
import io.statejob.runtime.api.state.MapState;
import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.TimerKey;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The timers of one operator, per key and namespace. The timers themselves are keyed map state
 * ({@code <uid>.$event-timers}, {@code <uid>.$processing-timers}), so they are checkpointed, bound
 * by the backend's memory or disk, and rescale with their key groups. A heap queue of timestamps
 * orders them for firing; it is rebuilt from the state on restore, and a deleted timer stays in it
 * until its time, when the state no longer holds it and it is skipped.
 *
 * @param <N> the namespace: void for process functions, the window for window operators
 */
public final class InternalTimerService<N> {
  /** Receives fired timers, with the backend's current key set to the timer's key. */
  @FunctionalInterface
  public interface Target<N> {
    void onTimer(TimeDomain domain, long timestamp, N namespace) throws Exception;
  }

  private record Queued(long timestamp, Object key, int keyGroup, Object namespace) {}

  private final KeyedStateBackend<Object> backend;
  private final Target<N> target;
  private final Map<TimeDomain, MapState<TimerKey, Boolean>> states =
      new EnumMap<>(TimeDomain.class);
  private final Map<TimeDomain, PriorityQueue<Queued>> queues = new EnumMap<>(TimeDomain.class);

  @SuppressWarnings("unchecked")
  InternalTimerService(
      String uid,
      KeyedStateBackend<?> backend,
      TypeSerializer<N> namespaceSerializer,
      Target<N> target)
      throws Exception {
    this.backend = (KeyedStateBackend<Object>) backend;
    this.target = target;
    TypeSerializer<TimerKey> timerSerializer = TimerKey.serializer(namespaceSerializer);
    for (TimeDomain domain : TimeDomain.values()) {
      String name =
          uid + (domain == TimeDomain.EVENT_TIME ? ".$event-timers" : ".$processing-timers");
      states.put(domain, timerState(name, timerSerializer));
      queues.put(domain, newQueue());
      restoreQueue(name, domain);
    }
  }

  @SuppressWarnings("unchecked")
  private MapState<TimerKey, Boolean> timerState(String name, TypeSerializer<TimerKey> serializer) {
    return (MapState<TimerKey, Boolean>)
        backend.getOrCreateState(
            name, new MapStateDescriptor<>(name, serializer, Serializers.BOOLEAN));
  }

  private static PriorityQueue<Queued> newQueue() {
    return new PriorityQueue<>(Comparator.comparingLong(Queued::timestamp));
  }

  private void restoreQueue(String stateName, TimeDomain domain) throws Exception {
    MapState<TimerKey, Boolean> state = states.get(domain);
    PriorityQueue<Queued> queue = queues.get(domain);
    backend.forEachKey(
        stateName,
        (key, keyGroup) -> {
          backend.setCurrentKey(key, keyGroup);
          for (Map.Entry<TimerKey, Boolean> timer : state.entries()) {
            queue.add(
                new Queued(timer.getKey().timestamp(), key, keyGroup, timer.getKey().namespace()));
          }
        });
  }

  /** Registers a timer of the current key; registering it again changes nothing. */
  public void register(TimeDomain domain, N namespace, long timestamp) {
    TimerKey timer = new TimerKey(timestamp, namespace);
    MapState<TimerKey, Boolean> state = states.get(domain);
    if (!state.contains(timer)) {
      state.put(timer, Boolean.TRUE);
      queues
          .get(domain)
          .add(
              new Queued(
                  timestamp, backend.getCurrentKey(), backend.getCurrentKeyGroup(), namespace));
    }
  }

  public void delete(TimeDomain domain, N namespace, long timestamp) {
    states.get(domain).remove(new TimerKey(timestamp, namespace));
  }

  /** Fires, in time order, the timers of {@code domain} at or before {@code time}. */
  @SuppressWarnings("unchecked")
  void advance(TimeDomain domain, long time) throws Exception {
    PriorityQueue<Queued> queue = queues.get(domain);
    MapState<TimerKey, Boolean> state = states.get(domain);
    while (!queue.isEmpty() && queue.peek().timestamp() <= time) {
      Queued next = queue.poll();
      backend.setCurrentKey(next.key(), next.keyGroup());
      TimerKey timer = new TimerKey(next.timestamp(), next.namespace());
      if (state.contains(timer)) {
        state.remove(timer);
        target.onTimer(domain, next.timestamp(), (N) next.namespace());
      }
    }
  }

  /** The earliest queued timer of {@code domain}, or {@link Long#MAX_VALUE}. */
  long nextTimestamp(TimeDomain domain) {
    Queued next = queues.get(domain).peek();
    return next == null ? Long.MAX_VALUE : next.timestamp();
  }
}
