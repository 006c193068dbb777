package io.statejob.runtime.connector;

import io.statejob.runtime.api.Sink;
import java.io.PrintStream;

/** Prints records to standard output, one per line, prefixed by the worker's index. */
public final class PrintSink<T> implements Sink<T> {
  private final PrintStream out;
  private String prefix = "";

  public PrintSink() {
    this(System.out);
  }

  PrintSink(PrintStream out) {
    this.out = out;
  }

  @Override
  public void open(io.statejob.runtime.api.RuntimeContext context) {
    prefix = context.subtaskIndex() + "> ";
  }

  @Override
  public void write(T record) {
    out.println(prefix + record);
  }
}
