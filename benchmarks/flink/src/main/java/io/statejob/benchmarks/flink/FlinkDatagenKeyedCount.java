package io.statejob.benchmarks.flink;

import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.ParameterTool;

/**
 * The job of StateJob's {@code KeyedCountJob}, written for Flink: the events of StateJob's own
 * {@link DatagenSource} (event {@code n} from a parallel sequence, so both systems count the same
 * keys and values), keyBy key, count and sum per key, {@code key,count,sum} to a discarding sink.
 *
 * <p>Arguments: {@code --events --keys --seed} and those of {@link FlinkJobs#environment}.
 */
public final class FlinkDatagenKeyedCount {
  private FlinkDatagenKeyedCount() {}

  public static void main(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    StreamExecutionEnvironment env = FlinkJobs.environment(params);
    env.fromSequence(0, params.getLong("events") - 1)
        .map(new EventAt(params.getInt("keys"), params.getLong("seed", 42)))
        .returns(Types.TUPLE(Types.STRING, Types.LONG))
        .keyBy(event -> event.f0, Types.STRING)
        .process(new CountAndSum<Tuple2<String, Long>>(event -> event.f1))
        .uid("count-and-sum")
        .sinkTo(new DiscardingSink<>());
    FlinkJobs.executeAndReport(env, "flink-datagen-keyed-count");
  }

  /** Sequence number to (key, value) of StateJob's datagen event with that number. */
  private static final class EventAt extends RichMapFunction<Long, Tuple2<String, Long>> {
    private final int keys;
    private final long seed;
    private transient DatagenSource events;

    EventAt(int keys, long seed) {
      this.keys = keys;
      this.seed = seed;
    }

    @Override
    public void open(OpenContext context) {
      events = new DatagenSource(-1, keys, seed, 0);
    }

    @Override
    public Tuple2<String, Long> map(Long n) {
      DatagenEvent event = events.eventAt(n);
      return Tuple2.of(event.key(), event.value());
    }
  }
}
