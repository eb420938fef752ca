package dev.tablevault.bench;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Vault;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.tablevault.bench.ExecSetup.T;
import static dev.tablevault.bench.ExecSetup.progress;
import static dev.tablevault.bench.Report.fmt;
import static dev.tablevault.bench.Report.median;

/**
 * P3, ingestion: {@code executeInstance} of an index (built-in {@code range}, LONG {@code id}) and one row-wise
 * column {@code n} (a registered builder returning the row number as a LONG), default checkpoints (4,096 rows or
 * 1 s), SYNC; against raw RocksDB writing the same cells ({@link RawIngest}: id and n of every row, one key per
 * cell, the engine's varint value encoding) in batches of 4,096 rows with {@code sync=true}, into a fresh
 * database. Target: ≥ 50% of raw RocksDB batch ingestion of the same cells. A warm-up run of each system, then
 * rounds in which every system runs once (interleaved); median of rounds, rows per second.
 */
final class P3IngestBench {
    static final double TARGET = 0.5;

    static final String OURS = "TableVault execute, SYNC";
    static final String RAW = "RocksDB per-cell puts, synced 4,096-row batches";
    static final String RAW_CHUNKS = "(ref) RocksDB engine-layout chunks, synced 4,096-row batches";
    static final String OURS_NONE = "(ref) TableVault execute, Durability.NONE";
    static final String RAW_NOSYNC = "(ref) RocksDB per-cell puts, sync=false";

    private final int rows;
    private final int rounds;
    private final int warmupRows;

    P3IngestBench(int rows, int rounds, int warmupRows) {
        this.rows = rows;
        this.rounds = rounds;
        this.warmupRows = warmupRows;
    }

    void run(Report report) throws Exception {
        progress("P3 warm-up, " + warmupRows + " rows each");
        List<String> labels = List.of(OURS, RAW, RAW_CHUNKS, OURS_NONE, RAW_NOSYNC);
        for (String label : labels) {
            once(label, warmupRows);
        }
        double[][] rates = new double[labels.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < labels.size(); k++) {
                rates[k][r] = once(labels.get(k), rows);
                progress("P3 round " + (r + 1) + ", " + labels.get(k) + ": " + fmt(rates[k][r], 0) + " rows/s");
            }
        }
        double raw = median(rates[1]);
        report.line("### P3: execute " + rows + " rows, trivial row-wise builder, default checkpoints").line("");
        report.line("Each row is 2 cells (the index's `id` and the builder's `n`, both LONG). Median of "
                + rounds + " rounds; per-round figures in the order they ran.").line("");
        report.line("| P3 system | rows/s | s per run | rounds (rows/s) | vs " + RAW + " |");
        report.line("|---|---:|---:|---|---:|");
        for (int k = 0; k < labels.size(); k++) {
            double m = median(rates[k]);
            report.row(labels.get(k), fmt(m, 0), fmt(rows / m, 2), Report.join(rates[k], 0), fmt(m / raw, 2) + "x");
        }
        double ratio = median(rates[0]) / raw;
        double vsChunks = median(rates[0]) / median(rates[2]);
        report.line("").line("P3 (target ≥ " + fmt(TARGET * 100, 0) + "% of raw RocksDB batch ingestion of the"
                + " same cells): " + fmt(median(rates[0]), 0) + " / " + fmt(raw, 0) + " rows/s = **"
                + fmt(ratio * 100, 1) + "%**, " + Report.verdict(ratio >= TARGET)
                + "; against raw RocksDB writing the engine's own 1,024-row chunks: " + fmt(vsChunks * 100, 1) + "%.");
        report.line("");
    }

    /** One run of {@code label} over {@code n} rows in a fresh directory; rows per second. */
    private static double once(String label, int n) throws Exception {
        Path dir = BenchDirs.create("tv-bench-p3-");
        try {
            return switch (label) {
                case OURS -> execute(dir, n, Durability.SYNC);
                case OURS_NONE -> execute(dir, n, Durability.NONE);
                case RAW -> RawIngest.run(dir, n, false, true);
                case RAW_CHUNKS -> RawIngest.run(dir, n, true, true);
                case RAW_NOSYNC -> RawIngest.run(dir, n, false, false);
                default -> throw new IllegalArgumentException(label);
            };
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    private static double execute(Path dir, int n, Durability durability) {
        try (Vault v = ExecSetup.create(dir.resolve("vault"), durability, Map.of("rownum", ExecSetup.ROW_NUMBER))) {
            ExecSetup.setupOneColumn(v, "base", n, null, "rownum");
            ExecSetup.quiesce();
            ExecSetup.StepClock clock = new ExecSetup.StepClock();
            long t0 = System.nanoTime();
            clock.start();
            v.executeInstance(T, ExecuteOptions.defaults().listener(clock));
            long t1 = System.nanoTime();
            long elapsed = t1 - t0;
            progress("P3 " + durability + " " + n + " rows, per step: " + ExecSetup.StepClock.format(clock.split(t1)));
            long got = ExecSetup.materializedRows(v, "base");
            if (got != n) {
                throw new IllegalStateException("executed " + got + " rows, expected " + n);
            }
            return n / (elapsed / 1e9);
        }
    }
}
