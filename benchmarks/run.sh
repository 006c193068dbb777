#!/usr/bin/env bash
# Builds the benchmarks and runs them, StateJob side by side with Apache Flink, on this machine.
#   benchmarks/run.sh [--quick|--full] [-- extra options of the end-to-end benchmark]
# --quick (the default, under 10 minutes on 2 cores): JMH with one fork and 1 s iterations; end to
# end 5 M datagen events on heap, 1 M on RocksDB, 1 M Kafka records, one run per case. --full
# (about an hour): two forks, 2 s iterations, 20 M / 5 M events, 5 M records, the median of three.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="--quick"
if [[ $# -gt 0 && ( "$1" == "--quick" || "$1" == "--full" ) ]]; then
  mode="$1"
  shift
fi
[[ "${1:-}" == "--" ]] && shift

cd "$root"
echo "benchmarks: building (mvn package)..." >&2
mvn -B -q -DskipTests -Dspotless.check.skip=true -pl benchmarks,benchmarks/flink -am package

driver_cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
flink_cp="benchmarks/flink/target/classes:$(cat benchmarks/flink/target/classpath.txt)"
case "$mode" in
  --quick) sizing=(--records 1000000 --datagen-events heap=5000000,rocksdb=1000000 --runs 1); jmh=(-f 1 -wi 1 -i 3 -w 1s -r 1s) ;;
  --full) sizing=(--records 5000000 --datagen-events heap=20000000,rocksdb=5000000 --runs 3); jmh=(-f 2 -wi 2 -i 4 -w 2s -r 2s) ;;
esac

# Keyed-state microbenchmarks (JMH): StateJob and the bare rocksdbjni in one JVM, Flink's backends
# in their own (frocksdbjni and rocksdbjni cannot share a class path). Scores are ops/ms.
results="$(mktemp -d)"
echo "benchmarks: keyed state (JMH ${jmh[*]})..." >&2
java -cp "$driver_cp" org.openjdk.jmh.Main 'io\.statejob\.benchmarks\.state\.' "${jmh[@]}" \
  -rf csv -rff "$results/statejob.csv" >&2
java -cp "$flink_cp" org.openjdk.jmh.Main 'io\.statejob\.benchmarks\.flink\.state\.' "${jmh[@]}" \
  -jvmArgsAppend "--add-opens=java.base/java.util=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn" \
  -rf csv -rff "$results/flink.csv" >&2
java -cp "$driver_cp" io.statejob.benchmarks.state.KeyedStateComparison \
  "$results/statejob.csv" "$results/flink.csv"

# The longest task-thread pause of heap checkpoints at 1M keys; Parallel GC, whose every pause is
# reported, so updates a collection overlapped can be told apart and left out.
echo "benchmarks: heap snapshot pause..." >&2
java -Xmx2g -XX:+UseParallelGC -cp "$driver_cp" io.statejob.benchmarks.state.HeapSnapshotPauseBenchmark

# RocksDB checkpoints and restores of 1 GiB against cp -r of the same files; the bytes an
# incremental checkpoint uploads after 1% of the keys changed against the new SST files' bytes.
echo "benchmarks: RocksDB checkpoints..." >&2
java -Xmx1g -cp "$driver_cp" io.statejob.benchmarks.checkpoint.RocksDBCheckpointBenchmark --state-mb 1024

# End to end: datagen and Kafka -> keyBy -> keyed count -> sink, against a Flink MiniCluster.
java -Xmx4g -cp "$driver_cp" io.statejob.benchmarks.endtoend.KeyedCountBenchmark \
  --flink-classpath "$flink_cp" "${sizing[@]}" "$@"
