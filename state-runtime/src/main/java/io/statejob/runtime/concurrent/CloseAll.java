package io.statejob.runtime.concurrent;

/**
 * Closes every one of several resources even when some fail, so a failed close never leaves the
 * rest open: the first failure is thrown once all were tried, the later ones suppressed in it.
 */
public final class CloseAll {
  private CloseAll() {}

  /** How one resource is closed. */
  @FunctionalInterface
  public interface Closer<T, E extends Exception> {
    void close(T resource) throws E;
  }

  public static <T, E extends Exception> void each(
      Iterable<? extends T> resources, Closer<T, E> closer) throws E {
    E first = null;
    for (T resource : resources) {
      try {
        closer.close(resource);
      } catch (Exception e) {
        @SuppressWarnings("unchecked") // the closer throws only E, or unchecked exceptions
        E failure = (E) e;
        if (first == null) {
          first = failure;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
