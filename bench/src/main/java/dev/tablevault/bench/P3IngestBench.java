package dev.tablevault.bench;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 *
 * <p>With {@link BenchBackend#PG} among the backends (issue 15), the engine on a PostgreSQL vault runs too, judged
 * at ≥ 0.7M rows/s; and then a checkpoint measure on each backend: a row-wise builder of two LONG columns (the
 * target's "4,096 rows x 2 LONG") executed in default checkpoints, the step's time per checkpoint (its rows'
 * computing included, so an upper bound of the commit), judged at ≤ 3 ms, with the statements PostgreSQL ran per
 * checkpoint, beside the same step on an unsynced RocksDB vault (its computing and encoding without a commit).
 */
final class P3IngestBench {
    static final double TARGET = 0.5;

    static final String OURS = "TableVault execute, SYNC";
    static final String RAW = "RocksDB per-cell puts, synced 4,096-row batches";
    static final String RAW_CHUNKS = "(ref) RocksDB engine-layout chunks, synced 4,096-row batches";
    static final String OURS_NONE = "(ref) TableVault execute, Durability.NONE";
    static final String RAW_NOSYNC = "(ref) RocksDB per-cell puts, sync=false";
    static final String OURS_PG = "TableVault execute, SYNC, PostgreSQL vault";
    /** Issue 15: trivial execute on a shared vault, rows/s; a checkpoint of 4,096 rows x 2 LONG, ms. */
    static final double PG_ROWS_PER_SEC = 700_000;
    static final double PG_CHECKPOINT_MS = 3;

    private final int rows;
    private final int rounds;
    private final int warmupRows;
    private final List<BenchBackend> backends;

    P3IngestBench(int rows, int rounds, int warmupRows, List<BenchBackend> backends) {
        this.rows = rows;
        this.rounds = rounds;
        this.warmupRows = warmupRows;
        this.backends = backends;
    }

    void run(Report report) throws Exception {
        progress("P3 warm-up, " + warmupRows + " rows each");
        List<String> labels = backends.contains(BenchBackend.PG)
                ? List.of(OURS, OURS_PG, RAW, RAW_CHUNKS, OURS_NONE, RAW_NOSYNC)
                : List.of(OURS, RAW, RAW_CHUNKS, OURS_NONE, RAW_NOSYNC);
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
        double raw = median(rates[labels.indexOf(RAW)]);
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
        double vsChunks = median(rates[0]) / median(rates[labels.indexOf(RAW_CHUNKS)]);
        report.line("").line("P3 (target ≥ " + fmt(TARGET * 100, 0) + "% of raw RocksDB batch ingestion of the"
                + " same cells): " + fmt(median(rates[0]), 0) + " / " + fmt(raw, 0) + " rows/s = **"
                + fmt(ratio * 100, 1) + "%**, " + Report.verdict(ratio >= TARGET)
                + "; against raw RocksDB writing the engine's own 1,024-row chunks: " + fmt(vsChunks * 100, 1) + "%.");
        report.line("");
        if (labels.contains(OURS_PG)) {
            double pg = median(rates[labels.indexOf(OURS_PG)]);
            report.line("P3 on PostgreSQL (issue 15: trivial execute ≥ " + fmt(PG_ROWS_PER_SEC, 0) + " rows/s): **"
                    + fmt(pg, 0) + " rows/s**, " + Report.verdict(pg >= PG_ROWS_PER_SEC) + "; " + fmt(pg / median(rates[0]), 2)
                    + "x the RocksDB vault.").line("");
            checkpoints(report);
        }
    }

    /** Per backend, interleaved: two LONG columns from one row-wise step, in default checkpoints (4,096 rows). */
    private void checkpoints(Report report) {
        // the backends, then RocksDB unsynced: the computing and encoding of a checkpoint without its commit
        List<BenchBackend> on = new ArrayList<>(backends);
        on.add(BenchBackend.ROCKS);
        int none = on.size() - 1;
        double[][] ms = new double[on.size()][rounds];
        double[] statements = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < on.size(); k++) {
                double[] got = pairs(on.get(k), rows, k == none ? Durability.NONE : Durability.SYNC);
                ms[k][r] = got[0];
                if (on.get(k) == BenchBackend.PG) {
                    statements[r] = got[1];
                }
            }
        }
        report.line("Checkpoint of 4,096 rows x 2 LONG: one row-wise step writing two LONG columns over " + rows
                + " rows, the step's time per checkpoint (its rows' computing included; median of " + rounds + ")."
                + " Load " + Report.loadAverage() + ".").line("");
        report.line("| backend | ms per checkpoint | rounds (ms) | statements per checkpoint |");
        report.line("|---|---:|---|---:|");
        for (int k = 0; k < on.size(); k++) {
            report.row(k == none ? "(ref) RocksDB, Durability.NONE (no commit wait)" : on.get(k).label,
                    fmt(median(ms[k]), 3), Report.join(ms[k], 3),
                    on.get(k) == BenchBackend.PG ? fmt(median(statements), 1) + " (2 steps' checkpoints)" : "n/a");
        }
        double pg = median(ms[on.indexOf(BenchBackend.PG)]);
        report.line("").line("Checkpoint on PostgreSQL (issue 15: ≤ " + fmt(PG_CHECKPOINT_MS, 0) + " ms): **"
                + fmt(pg, 3) + " ms**, " + Report.verdict(pg <= PG_CHECKPOINT_MS) + "; without the computing (the"
                + " unsynced row's median taken off) " + fmt(pg - median(ms[none]), 3) + " ms.").line("");
    }

    /**
     * One execution of two LONG columns on {@code backend}; returns the column step's milliseconds per checkpoint and
     * (PostgreSQL) the statements the server ran per checkpoint of that step, index step included.
     */
    private static double[] pairs(BenchBackend backend, int n, Durability durability) {
        Path dir = BenchDirs.create("tv-bench-p3c-");
        try {
            String location = backend.newLocation(dir);
            RowBuilder pair = (ctx, row) -> List.of(row, -row);
            try (Vault v = ExecSetup.create(backend, location, dir, durability, Map.of("pair", pair))) {
                v.createTable(T, TableOptions.defaults());
                v.createInstance(T, InstanceOptions.defaults().version("base"));
                v.putBuilder(T, "base", ExecSetup.index(n, null), OpOptions.defaults());
                v.putBuilder(T, "base", ExecSetup.column("ab", "pair", new TreeMap<>(Map.of("a", "long", "b", "long")),
                        null), OpOptions.defaults());
                ExecSetup.quiesce();
                if (backend == BenchBackend.PG) {
                    BenchBackend.resetStatements(location);
                }
                ExecSetup.StepClock clock = new ExecSetup.StepClock();
                clock.start();
                v.executeInstance(T, ExecuteOptions.defaults().listener(clock));
                Map<String, Double> split = clock.split(System.nanoTime());
                double checkpoints = Math.ceil(n / (double) ExecSetup.BATCH_ROWS);
                double statements = backend == BenchBackend.PG
                        ? BenchBackend.statements(location)[0] / checkpoints : Double.NaN;
                progress("P3 checkpoints, " + backend.label + " " + durability + ": " + ExecSetup.StepClock.format(split));
                if (backend == BenchBackend.PG) {
                    progress("P3 checkpoints, statements per checkpoint (both steps): "
                            + BenchBackend.topStatements(location, 8, checkpoints));
                }
                return new double[] {split.get("ab") * 1e3 / checkpoints, statements};
            }
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    /** One run of {@code label} over {@code n} rows in a fresh directory; rows per second. */
    private static double once(String label, int n) throws Exception {
        Path dir = BenchDirs.create("tv-bench-p3-");
        try {
            return switch (label) {
                case OURS -> execute(BenchBackend.ROCKS, dir, n, Durability.SYNC);
                case OURS_PG -> execute(BenchBackend.PG, dir, n, Durability.SYNC);
                case OURS_NONE -> execute(BenchBackend.ROCKS, dir, n, Durability.NONE);
                case RAW -> RawIngest.run(dir, n, false, true);
                case RAW_CHUNKS -> RawIngest.run(dir, n, true, true);
                case RAW_NOSYNC -> RawIngest.run(dir, n, false, false);
                default -> throw new IllegalArgumentException(label);
            };
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    private static double execute(BenchBackend backend, Path dir, int n, Durability durability) {
        try (Vault v = ExecSetup.create(backend, backend.newLocation(dir), dir, durability,
                Map.of("rownum", ExecSetup.ROW_NUMBER))) {
            ExecSetup.setupOneColumn(v, "base", n, null, "rownum");
            ExecSetup.quiesce();
            ExecSetup.StepClock clock = new ExecSetup.StepClock();
            long t0 = System.nanoTime();
            clock.start();
            v.executeInstance(T, ExecuteOptions.defaults().listener(clock));
            long t1 = System.nanoTime();
            long elapsed = t1 - t0;
            progress("P3 " + backend.label + " " + durability + " " + n + " rows, per step: " + ExecSetup.StepClock.format(clock.split(t1)));
            long got = ExecSetup.materializedRows(v, "base");
            if (got != n) {
                throw new IllegalStateException("executed " + got + " rows, expected " + n);
            }
            return n / (elapsed / 1e9);
        }
    }
}
