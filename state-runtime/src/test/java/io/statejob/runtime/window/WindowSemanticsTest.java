package io.statejob.runtime.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.execution.FileSinkTest;
import io.statejob.runtime.execution.JobRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Window results against hand-computed expectations, for each backend and window function. Input
 * lines are {@code key,timestamp,value}; results {@code key,start,end,sum,count}. The watermark
 * moves after each record to (largest timestamp − bound − 1).
 */
class WindowSemanticsTest {
  @TempDir Path temp;

  static List<Arguments> backendsAndFunctions() {
    List<Arguments> all = new ArrayList<>();
    for (String backend : List.of("memory", "filesystem", "rocksdb", "rocksdb-incremental")) {
      for (String function : List.of("aggregate", "reduce", "process")) {
        all.add(Arguments.of(backend, function));
      }
    }
    return all;
  }

  private List<String> run(String backend, List<String> lines, String... args) throws Exception {
    Path input = temp.resolve("input.csv");
    Files.write(input, lines);
    List<String> arguments = new ArrayList<>(List.of(args));
    arguments.addAll(
        List.of("--input", input.toString(), "--output", temp.resolve("out").toString()));
    // the watermark moves after each record, as the expectations assume
    RuntimeConfig config =
        JobRuns.configIn(temp, backend, 2, Map.of("pipeline.auto-watermark-interval", "0ms"));
    JobRuns.run(WindowSemanticsJob.class, arguments, config);
    return FileSinkTest.committedLines(temp.resolve("out"));
  }

  private static List<String> sorted(String... lines) {
    return List.of(lines).stream().sorted().toList();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndFunctions")
  void tumblingWindowsFireWhenTheWatermarkPassesTheirEndAndDropLateRecords(
      String backend, String function) throws Exception {
    List<String> results =
        run(
            backend,
            List.of("a,1,1", "a,5,2", "b,7,3", "a,12,4", "b,3,5", "a,25,6"),
            "--window",
            "tumbling:10",
            "--function",
            function,
            "--late-output",
            temp.resolve("late").toString());
    // a@12 moves the watermark to 11: [0,10) fires; b@3 is then late; a@25 fires [10,20)
    assertThat(results).isEqualTo(sorted("a,0,10,3,2", "b,0,10,3,1", "a,10,20,4,1", "a,20,30,6,1"));
    assertThat(FileSinkTest.committedLines(temp.resolve("late")))
        .containsExactly("Reading[key=b, value=5, count=1]");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndFunctions")
  void allowedLatenessRefiresAWindowForALateRecordUntilItsCleanupTime(
      String backend, String function) throws Exception {
    List<String> results =
        run(
            backend,
            List.of("a,1,1", "a,5,2", "b,7,3", "a,12,4", "b,3,5", "a,25,6", "b,4,7"),
            "--window",
            "tumbling:10",
            "--lateness",
            "5",
            "--function",
            function,
            "--late-output",
            temp.resolve("late").toString());
    // b@3 arrives at watermark 11 < 9 + 5: b's window fires again with it; a@25 passes
    // every cleanup time of [0,10), so b@4 is late
    assertThat(results)
        .isEqualTo(sorted("a,0,10,3,2", "b,0,10,3,1", "b,0,10,8,2", "a,10,20,4,1", "a,20,30,6,1"));
    assertThat(FileSinkTest.committedLines(temp.resolve("late")))
        .containsExactly("Reading[key=b, value=7, count=1]");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndFunctions")
  void slidingWindowsHoldEachRecordInSizeOverSlideWindows(String backend, String function)
      throws Exception {
    List<String> results =
        run(
            backend,
            List.of("a,1,1", "a,7,2", "a,12,4"),
            "--window",
            "sliding:10:5",
            "--function",
            function);
    assertThat(results).isEqualTo(sorted("a,-5,5,1,1", "a,0,10,3,2", "a,5,15,6,2", "a,10,20,4,1"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndFunctions")
  void sessionWindowsMergeWhenARecordBridgesThem(String backend, String function) throws Exception {
    List<String> results =
        run(
            backend,
            List.of("a,1,1", "a,4,2", "b,2,10", "a,20,3", "a,12,4", "a,16,5"),
            "--window",
            "session:5",
            "--bound",
            "10",
            "--function",
            function);
    // [1,6) and [4,9) merge; a@20 (watermark 9) closes it and b's [2,7); a@16 bridges
    // [12,17) and [20,25) into [12,25)
    assertThat(results).isEqualTo(sorted("a,1,9,3,2", "b,2,7,10,1", "a,12,25,12,3"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndFunctions")
  void aCountTriggerFiresEveryNRecordsOfAWindow(String backend, String function) throws Exception {
    List<String> results =
        run(
            backend,
            List.of("a,1,1", "a,2,2", "a,3,3", "a,4,4", "a,5,5", "a,11,6", "a,12,7"),
            "--window",
            "tumbling:10",
            "--count-trigger",
            "2",
            "--function",
            function);
    assertThat(results).isEqualTo(sorted("a,0,10,3,2", "a,0,10,10,4", "a,10,20,13,2"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndFunctions")
  void sessionWindowsWithACountTriggerMergeTheTriggerCounts(String backend, String function)
      throws Exception {
    List<String> results =
        run(
            backend,
            List.of("a,1,1", "a,10,2", "a,5,3"),
            "--window",
            "session:5",
            "--bound",
            "100",
            "--count-trigger",
            "3",
            "--function",
            function);
    // [1,6) and [10,15) each count 1; a@5 bridges them into [1,15) with count 3
    assertThat(results).isEqualTo(sorted("a,1,15,6,3"));
  }
}
