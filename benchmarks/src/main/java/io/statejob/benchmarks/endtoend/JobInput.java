package io.statejob.benchmarks.endtoend;

import java.util.List;
import java.util.Map;

/**
 * Where a keyed-count benchmark's records come from and go to, and how each system's job is told
 * so: the same records for StateJob's job and for its Flink twin.
 */
interface JobInput extends AutoCloseable {
  /** The benchmark's name in RESULT lines, e.g. {@code kafka-keyed-count}. */
  String benchmark();

  /** Input records of a run on this backend. */
  long records(Backend backend);

  /** StateJob's job class and its arguments for a run named {@code run}. */
  String stateJobClass();

  List<String> stateJobArguments(String run, Backend backend);

  /** Runtime settings the StateJob manifest adds to its {@code config}. */
  Map<String, String> stateJobConfig();

  /** The Flink job's main class and its arguments (besides the environment's). */
  String flinkClass();

  List<String> flinkArguments(String run, Backend backend);

  /** Before a system's run named {@code run}: e.g. its output topic. */
  default void prepare(String run) throws Exception {}

  /** After a system's run named {@code run}: fails unless its output is all there. */
  default void checkOutput(String run) throws Exception {}

  @Override
  default void close() throws Exception {}
}
