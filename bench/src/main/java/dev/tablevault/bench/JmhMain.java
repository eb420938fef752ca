package dev.tablevault.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the JMH benchmarks ({@link P1SmallOpBenchmark} and {@link P2ScalingBenchmark} unless a benchmark regexp
 * is given) in one JMH run, then prints the P1/P2 Markdown tables with ratios. Accepts every
 * {@code org.openjdk.jmh.Main} option ({@code -wi}, {@code -i}, {@code -r}, {@code -f}, {@code -rf json} ...).
 */
public final class JmhMain {
    private static final Map<String, String> P1_LABELS = new TreeMap<>(Map.of(
            "tablevaultSync", SideBySide.OURS,
            "rocksdbSyncedBatch", SideBySide.ROCKS,
            "sqliteInsertCommit", SideBySide.SQLITE,
            "refTablevaultNoSync", SideBySide.OURS_NONE,
            "refRocksdbUnsyncedBatch", SideBySide.ROCKS_NOSYNC));
    private static final List<String> P1_ORDER = List.of("tablevaultSync", "rocksdbSyncedBatch",
            "sqliteInsertCommit", "refTablevaultNoSync", "refRocksdbUnsyncedBatch");
    private static final Map<String, String> P2_LABELS = Map.of(
            "tablevault", SideBySide.OURS,
            "rocksdb", SideBySide.ROCKS,
            "sqlite", SideBySide.SQLITE + " (1 connection)",
            "refTablevaultNoSync", SideBySide.OURS_NONE);

    private JmhMain() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cmd = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
            options.include(P1SmallOpBenchmark.class.getName() + "\\.");
            options.include(P2ScalingBenchmark.class.getName() + "\\.");
        }
        Collection<RunResult> results = new Runner(options.build()).run();

        List<Report.Latency> p1 = new ArrayList<>();
        List<Report.Throughput> p2 = new ArrayList<>();
        for (String method : P1_ORDER) {
            for (RunResult r : results) {
                String bench = r.getParams().getBenchmark();
                if (bench.equals(P1SmallOpBenchmark.class.getName() + "." + method)) {
                    var score = r.getPrimaryResult();
                    p1.add(new Report.Latency(P1_LABELS.get(method), score.getScore(),
                            Double.isNaN(score.getScoreError()) ? "n/a (too few iterations)"
                                    : "± " + Report.fmt(score.getScoreError(), 1) + " " + score.getScoreUnit()));
                }
            }
        }
        for (String system : List.of("tablevault", "rocksdb", "sqlite", "refTablevaultNoSync")) {
            for (RunResult r : results) {
                String bench = r.getParams().getBenchmark();
                // "tablevault_t" does not match "refTablevaultNoSync_t.."
                String prefix = P2ScalingBenchmark.class.getName() + "." + system + "_t";
                if (bench.startsWith(prefix)) {
                    p2.add(new Report.Throughput(P2_LABELS.get(system), r.getParams().getThreads(),
                            r.getPrimaryResult().getScore()));
                }
            }
        }
        Report report = new Report();
        report.line("").line("## JMH results").line("");
        if (!p1.isEmpty()) {
            report.line("### P1: one small durable operation, 1 thread (JMH avgt)").line("");
            report.p1(p1, SideBySide.OURS, SideBySide.ROCKS, "99.9% CI");
            report.line("");
        }
        if (!p2.isEmpty()) {
            report.line("### P2: independent small durable operations, ops/s summed over threads (JMH thrpt)").line("");
            report.p2(p2, SideBySide.OURS, SideBySide.ROCKS);
        }
        System.out.print(report);
    }
}
