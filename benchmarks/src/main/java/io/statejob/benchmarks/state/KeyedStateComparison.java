package io.statejob.benchmarks.state;

import io.statejob.benchmarks.Comparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pairs the keyed-state microbenchmarks' JMH results (CSV) of StateJob's side with Flink's side and
 * the bare rocksdbjni, by operation and backend, and prints a {@code RESULT} line per pair and a
 * Markdown table.
 *
 * <p>{@code KeyedStateComparison <statejob.csv> <flink.csv>}
 */
public final class KeyedStateComparison {
  private static final String RAW = "RawRocksDBBenchmark";

  /** One JMH score: ops/ms and its 99.9% error. */
  record Score(double value, double error) {}

  public static void main(String[] args) throws IOException {
    Map<String, Score> statejob = new LinkedHashMap<>();
    Map<String, Score> raw = new LinkedHashMap<>();
    for (Map.Entry<String, Score> row : read(Path.of(args[0])).entrySet()) {
      String id = row.getKey();
      (id.startsWith(RAW + ".") ? raw : statejob)
          .put(id.substring(id.indexOf('.') + 1), row.getValue());
    }
    Map<String, Score> flink = new LinkedHashMap<>();
    read(Path.of(args[1]))
        .forEach((id, score) -> flink.put(id.substring(id.indexOf('.') + 1), score));

    StringBuilder table =
        new StringBuilder(
            "| operation | backend | StateJob ops/ms | Flink 2.3 ops/ms | ratio | rocksdbjni ops/ms"
                + " | ratio |\n|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, Score> entry : statejob.entrySet()) {
      String[] opAndBackend = entry.getKey().split(" ");
      String op = opAndBackend[0];
      String backend = opAndBackend[1];
      Score ours = entry.getValue();
      Score theirs = flink.get(entry.getKey());
      Score ceiling = backend.equals("rocksdb") ? raw.get(op + " ") : null;
      table.append(String.format(Locale.ROOT, "| %s | %s | %s |", op, backend, format(ours)));
      table.append(theirs == null ? " | |" : cells(ours, theirs, "flink", op, backend));
      table.append(ceiling == null ? " | |" : cells(ours, ceiling, "rocksdbjni", op, backend));
      table.append('\n');
    }
    System.out.println();
    System.out.print(table);
  }

  /** Prints the RESULT line of one pair; returns its two table cells. */
  private static String cells(Score ours, Score theirs, String other, String op, String backend) {
    Comparison comparison = new Comparison(op, backend, ours.value(), other, theirs.value());
    System.out.println(comparison.resultLine());
    return String.format(Locale.ROOT, " %s | %.2f |", format(theirs), comparison.ratio());
  }

  private static String format(Score score) {
    return String.format(Locale.ROOT, "%.1f ± %.1f", score.value(), score.error());
  }

  /**
   * The rows of a JMH CSV file, keyed by {@code <class>.<method> <backend>} (the backend empty for
   * benchmarks without one), in file order.
   */
  static Map<String, Score> read(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    Map<String, Score> rows = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.replace("\"", "").split(",", -1);
      String benchmark = cells[0];
      String method =
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      String backend = cells.length > 7 ? cells[7] : "";
      rows.put(
          method + " " + backend, new Score(Double.parseDouble(cells[4]), parseError(cells[5])));
    }
    return rows;
  }

  private static double parseError(String cell) {
    return cell.isEmpty() || cell.equals("NaN") ? Double.NaN : Double.parseDouble(cell);
  }

  private KeyedStateComparison() {}
}
