package dev.tablevault.bench;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Vault;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tablevault.bench.ExecSetup.T;
import static dev.tablevault.bench.Report.fmt;

/**
 * M1, execute with a small heap: a child JVM ({@link ChildJvm}, {@code -Xmx256m} by default) executes an index
 * ({@code range}, whole-column or generator mode) and one row-wise LONG column (the row number), SYNC, default
 * checkpoints, for each row count; its exit status, time, the largest heap left after a GC and the sampled peak
 * ({@link HeapWatch}), against the JVM's maximum heap. Target (at the largest row count, 10M by default):
 * completes; heap bounded by the batch.
 */
final class M1MemoryBench {
    private final int[] rows;
    private final String xmx;
    private final List<String> indexModes;

    M1MemoryBench(int[] rows, String xmx, List<String> indexModes) {
        this.rows = rows;
        this.xmx = xmx;
        this.indexModes = indexModes;
    }

    void run(Report report) throws Exception {
        report.line("### M1: execute with -Xmx" + xmx).line("");
        report.line("A child JVM (`java <jvm.flags> -Xmx" + xmx + " -cp <bench classpath> " + ExecBench.class.getName()
                + " --child m1 ROWS MODE`) executes an index (`range`, in MODE) and one row-wise LONG column (row"
                + " number), SYNC, default checkpoints. Heap after GC: the largest heap occupancy a GC left (all heap"
                + " pools, from GC notifications); sampled peak: the largest `MemoryMXBean` heap use seen every 10 ms."
                + " RocksDB's memory is native and not in these figures.").line("");
        report.line("| index mode | rows | exit | max heap (JVM) | time (s) | rows/s | max heap after GC (MiB) |"
                + " sampled peak heap (MiB) | GCs (time ms) |");
        report.line("|---|---:|---|---:|---:|---:|---:|---:|---|");
        List<String> verdicts = new ArrayList<>();
        for (String mode : indexModes) {
            for (int n : rows) {
                ExecSetup.progress("M1 child JVM -Xmx" + xmx + ", " + n + " rows, index " + mode);
                ChildJvm.Result c = ChildJvm.start(List.of("-Xmx" + xmx), "m1", Integer.toString(n), mode);
                Map<String, String> m = c.values();
                boolean ok = c.exit() == 0 && String.valueOf(n).equals(m.get("rows"));
                double secs = Double.parseDouble(m.getOrDefault("seconds", "NaN"));
                report.row(mode, fmt(n, 0), ok ? "0, completed" : c.exit() + ", " + m.getOrDefault("failed", "failed"),
                        mib(m.get("maxHeap")) + " MiB", ok ? fmt(secs, 1) : "n/a", ok ? fmt(n / secs, 0) : "n/a",
                        mib(m.get("maxAfterGc")), mib(m.get("sampledPeak")),
                        m.getOrDefault("gcCount", "?") + " (" + m.getOrDefault("gcMillis", "?") + ")");
                if (n == rows[rows.length - 1]) {
                    verdicts.add("index " + mode + ": " + (ok ? "completed in " + fmt(secs, 1) + " s, **met**"
                            : "did not complete (" + m.getOrDefault("failed", "exit " + c.exit()) + "), **missed**"));
                }
            }
        }
        report.line("");
        report.line("M1 (target: " + fmt(rows[rows.length - 1], 0) + " rows with -Xmx" + xmx
                + " completes; heap bounded by the batch): " + String.join("; ", verdicts) + ".");
        report.line("");
    }

    private static String mib(String bytes) {
        if (bytes == null) {
            return "n/a";
        }
        return fmt(Long.parseLong(bytes) / (1024.0 * 1024.0), 0);
    }

    /** In the child JVM ({@code --child m1}): the execution, its figures written with {@link ChildJvm#put}. */
    static int child(int rows, String indexMode) {
        ChildJvm.put("maxHeap", Runtime.getRuntime().maxMemory());
        Path dir = BenchDirs.create("tv-bench-m1-");
        try (HeapWatch w = new HeapWatch()) {
            long nanos;
            try (Vault v = ExecSetup.create(dir.resolve("vault"), Durability.SYNC,
                    Map.of("rownum", ExecSetup.ROW_NUMBER))) {
                ExecSetup.setupOneColumn(v, "base", rows, indexMode, "rownum");
                long t0 = System.nanoTime();
                v.executeInstance(T, ExecuteOptions.defaults());
                nanos = System.nanoTime() - t0;
                ChildJvm.put("rows", ExecSetup.materializedRows(v, "base"));
            }
            w.stop();
            ChildJvm.put("seconds", nanos / 1e9);
            ChildJvm.put("maxAfterGc", w.maxAfterGc);
            ChildJvm.put("sampledPeak", w.sampledPeak);
            ChildJvm.put("gcCount", HeapWatch.gcCount());
            ChildJvm.put("gcMillis", ExecSetup.gcMillis());
            return 0;
        } catch (Throwable e) {
            ChildJvm.put("failed", e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).replace('|', '/'));
            e.printStackTrace();
            return 3;
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }
}
