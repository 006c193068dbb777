package io.statejob.runtime.connector;

import io.statejob.runtime.api.Sink;

/** Drops every record: for jobs whose result is their state, and for benchmarks. */
public final class DiscardSink<T> implements Sink<T> {
  @Override
  public void write(T record) {}
}
