package io.statejob.runtime.state.ttl;

import io.statejob.runtime.serialization.TtlValue;
import java.util.Collection;
import java.util.Map;
import java.util.function.LongPredicate;

/** What a backend's incremental cleanup asks of a stored value of a state with a time to live. */
public final class TtlEntries {
  private TtlEntries() {}

  /**
   * Whether every timestamp of a stored heap value has expired: a {@link TtlValue}'s, or those of
   * all elements of a list or all values of a map. Other values are never removed.
   */
  public static boolean allExpired(Object stored, LongPredicate expired) {
    if (stored instanceof TtlValue<?> value) {
      return expired.test(value.lastAccessTimestamp());
    }
    if (stored instanceof Collection<?> elements) {
      return elements.stream().allMatch(element -> allExpired(element, expired));
    }
    if (stored instanceof Map<?, ?> entries) {
      return entries.values().stream().allMatch(value -> allExpired(value, expired));
    }
    return false;
  }
}
