#!/usr/bin/env bash
# Builds the benchmarks and runs them, StateJob side by side with Apache Flink, on this machine.
#   benchmarks/run.sh [--quick|--full] [-- extra options of the Kafka benchmark]
# --quick (the default): 2 M records, one run per case; --full: 5 M records, the median of three.
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
  --quick) sizing=(--records 2000000 --runs 1) ;;
  --full) sizing=(--records 5000000 --runs 3) ;;
esac

java -Xmx4g -cp "$driver_cp" io.statejob.benchmarks.kafka.KafkaKeyedCountBenchmark \
  --flink-classpath "$flink_cp" "${sizing[@]}" "$@"
