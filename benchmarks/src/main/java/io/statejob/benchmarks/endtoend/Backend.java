package io.statejob.benchmarks.endtoend;

/** The backend of a benchmark case, as each system names it. */
enum Backend {
  heap("filesystem", "hashmap"),
  rocksdb("rocksdb", "rocksdb");

  final String statejob;
  final String flink;

  Backend(String statejob, String flink) {
    this.statejob = statejob;
    this.flink = flink;
  }
}
