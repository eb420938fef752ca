package dev.tablevault.bench;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tablevault.bench.ExecSetup.T;
import static dev.tablevault.bench.ExecSetup.progress;
import static dev.tablevault.bench.Report.fmt;
import static dev.tablevault.bench.Report.median;

/**
 * P5, scan an instance: cells/s of {@code dataframe} and of the {@code rows} cursor, row by row ({@code next}) and
 * a chunk at a time ({@code nextBatch}), over N rows x 5 columns (3 LONG, 2 STRING); against raw RocksDB
 * iterating the same chunk keys, without a decoder and with each of the engine's chunk decoders, boxed and typed
 * ({@link RawScan}, references). The vault and the raw database are both opened read-only; measured with the data
 * as the vault left it (memtables, replayed from the WAL) and after a raw flush into table files. Targets: ≥ 5M
 * cells/s; {@code dataframe} ≥ 0.8x and the cursor (both ways) ≥ 0.9x the raw scan with the faster of the two
 * decoders. One warm-up pass of each reader, then interleaved rounds; median.
 */
final class P5ScanBench {
    static final double TARGET = 5_000_000;
    static final double FRAME_RATIO = 0.8;
    static final double CURSOR_RATIO = 0.9;

    static final List<ColumnType> TYPES = List.of(ColumnType.LONG, ColumnType.LONG, ColumnType.LONG,
            ColumnType.STRING, ColumnType.STRING);

    /** P5's data: a = row, b = row * 31, s = "s" + row, t = "t" + row % 1000 (with the index's id: 5 columns). */
    static final RowBuilder FOUR_COLUMNS = (ctx, row) -> List.of(row, row * 31, "s" + row, "t" + row % 1000);

    private final int rows;
    private final int rounds;

    P5ScanBench(int rows, int rounds) {
        this.rows = rows;
        this.rounds = rounds;
    }

    void run(Report report) throws Exception {
        Path dir = BenchDirs.create("tv-bench-p5-");
        try {
            Path vaultDir = dir.resolve("vault");
            progress("P5 building " + rows + " rows x 5 columns");
            long buildNanos;
            try (Vault v = ExecSetup.create(vaultDir, Durability.SYNC, Map.of("four", FOUR_COLUMNS))) {
                v.createTable(T, TableOptions.defaults());
                v.createInstance(T, InstanceOptions.defaults());
                v.putBuilder(T, "base", ExecSetup.index(rows, null), OpOptions.defaults());
                Map<String, String> cols = new LinkedHashMap<>();
                cols.put("a", "long");
                cols.put("b", "long");
                cols.put("s", "string");
                cols.put("t", "string");
                v.putBuilder(T, "base", ExecSetup.column("four", "four", cols, null), OpOptions.defaults());
                long t0 = System.nanoTime();
                v.executeInstance(T, ExecuteOptions.defaults());
                buildNanos = System.nanoTime() - t0;
            }
            long cells = 5L * rows;
            report.line("### P5: scan an instance").line("");
            report.line(rows + " rows x 5 columns (id, a, b: LONG; s, t: short STRING) = " + fmt(cells, 0)
                    + " cells, built by one execute (" + fmt(buildNanos / 1e9, 1) + " s). The vault and a raw"
                    + " RocksDB handle on its database are opened read-only side by side; one warm-up pass each, then "
                    + rounds + " interleaved rounds, median reported. Two states of the same data: as the vault left"
                    + " it (never flushed: the read-only open replays the WAL into memtables), then after a raw RocksDB"
                    + " flush of every column family into table files (what a vault that has been written to for a"
                    + " while reads). GC time is the collectors' total during the timed scans.").line("");
            report.line("| P5 reader | data in | cells/s | ms per scan | rounds (cells/s) | GC time, all rounds (ms) |"
                    + " vs raw + the faster decoder, medians | same, median of per-round ratios | same, by the reading"
                    + " thread's CPU time (median of per-round ratios) |");
            report.line("|---|---|---:|---:|---|---:|---:|---:|---:|");
            List<String> verdicts = new ArrayList<>();
            pass(vaultDir, cells, "memtable (WAL replayed)", report, verdicts);
            progress("P5 flushing the vault's column families");
            RawScan.flushAll(vaultDir.resolve("db"));
            pass(vaultDir, cells, "table files (flushed)", report, verdicts);
            report.line("");
            for (String verdict : verdicts) {
                report.line(verdict).line("");
            }
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    /** Warm-up and rounds of every reader over the data in {@code state}; its table rows and verdicts. */
    private void pass(Path vaultDir, long cells, String state, Report report, List<String> verdicts)
            throws Exception {
        List<String> labels = List.of("TableVault `dataframe` (whole instance into a Frame)",
                "TableVault `rows` cursor, row by row (`next`, boxed rows)",
                "TableVault `rows` cursor, a chunk at a time (`nextBatch`, a Frame of 1,024 rows)",
                "(ref) raw RocksDB iterator, same chunks, bytes only",
                "(ref) raw RocksDB iterator + the engine's boxed chunk decoder (List<Object>)",
                "(ref) raw RocksDB iterator + the engine's typed chunk decoder (ColumnVector)");
        double[][] rates = new double[labels.size()][rounds];
        double[][] cpu = new double[labels.size()][rounds];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] gcMs = new long[labels.size()];
        try (Vault v = TableVault.open(vaultDir, VaultOptions.defaults().readOnly(true));
             RawScan raw = new RawScan(vaultDir.resolve("db"), TYPES)) {
            // warm-up: one pass each
            scanFrame(v);
            scanCursor(v);
            scanBatches(v);
            for (RawScan.Decode d : RawScan.Decode.values()) {
                raw.scan(d);
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < labels.size(); k++) {
                    ExecSetup.quiesce();
                    long gc0 = ExecSetup.gcMillis();
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    long got = switch (k) {
                        case 0 -> scanFrame(v);
                        case 1 -> scanCursor(v);
                        case 2 -> scanBatches(v);
                        default -> raw.scan(RawScan.Decode.values()[k - 3]);
                    };
                    rates[k][r] = cells / ((System.nanoTime() - t0) / 1e9);
                    cpu[k][r] = threads.getCurrentThreadCpuTime() - c0;
                    gcMs[k] += ExecSetup.gcMillis() - gc0;
                    if (k != 3 && got != cells) {
                        throw new IllegalStateException("scanned " + got + " cells, expected " + cells);
                    }
                }
                progress("P5 " + state + " round " + (r + 1) + ": " + Report.join(new double[] {rates[0][r],
                        rates[1][r], rates[2][r], rates[3][r], rates[4][r], rates[5][r]}, 0) + " cells/s");
            }
        }
        boolean typedFaster = median(rates[5]) >= median(rates[4]);
        double[] decoded = rates[typedFaster ? 5 : 4];
        double[] decodedCpu = cpu[typedFaster ? 5 : 4];
        double[] paired = new double[labels.size()];
        double[] pairedCpu = new double[labels.size()];
        for (int k = 0; k < labels.size(); k++) {
            // Each round's ratio to the decoder's rate in the same round: the readers of a round run seconds
            // apart, so a machine whose load changes by the minute skews this less than a ratio of medians. The
            // reading thread's CPU time is not stretched by waiting for a CPU (it leaves out GC threads' work).
            double[] ratios = new double[rounds];
            double[] cpuRatios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = rates[k][r] / decoded[r];
                cpuRatios[r] = decodedCpu[r] / cpu[k][r];
            }
            paired[k] = median(ratios);
            pairedCpu[k] = median(cpuRatios);
            double m = median(rates[k]);
            report.row(labels.get(k), state, fmt(m, 0), fmt(cells / m * 1e3, 0), Report.join(rates[k], 0), gcMs[k],
                    fmt(m / median(decoded), 2) + "x", fmt(paired[k], 2) + "x", fmt(pairedCpu[k], 2) + "x");
        }
        for (int k = 0; k < 3; k++) {
            double m = median(rates[k]);
            double want = k == 0 ? FRAME_RATIO : CURSOR_RATIO;
            String what = k == 0 ? "dataframe" : k == 1 ? "cursor, next (boxed rows)" : "cursor, nextBatch";
            verdicts.add("P5 " + what + ", " + state + " (target ≥ 5M cells/s and ≥ "
                    + want + "x the raw scan with the faster decoder, here the " + (typedFaster ? "typed" : "boxed")
                    + " one): **" + fmt(m / 1e6, 2) + "M cells/s**, " + Report.verdict(m >= TARGET) + "; **"
                    + fmt(paired[k], 2) + "x** (median of per-round ratios; " + fmt(paired[k] / paired[4 + (typedFaster
                    ? 0 : 1)], 2) + "x against the " + (typedFaster ? "boxed" : "typed") + " one; by the reading thread's CPU time "
                    + fmt(pairedCpu[k], 2) + "x), " + Report.verdict(paired[k] >= want));
        }
    }

    private static long scanFrame(Vault v) {
        Frame f = v.dataframe(T, ReadOptions.latest());
        Object last = f.get(f.rowCount() - 1, 4);
        if (last == null) {
            throw new IllegalStateException("last cell is null");
        }
        return (long) f.rowCount() * f.columnCount();
    }

    private static long scanCursor(Vault v) {
        long cells = 0;
        try (RowCursor c = v.rows(T, ReadOptions.latest())) {
            while (c.hasNext()) {
                // Every value is read: a row boxes its values as they are read.
                List<Object> row = c.next();
                for (int k = 0; k < row.size(); k++) {
                    if (row.get(k) == null) {
                        throw new IllegalStateException("null cell in column " + k);
                    }
                }
                cells += row.size();
            }
        }
        return cells;
    }

    private static long scanBatches(Vault v) {
        long cells = 0;
        try (RowCursor c = v.rows(T, ReadOptions.latest())) {
            while (c.hasNext()) {
                Frame f = c.nextBatch();
                if (f.isNull(f.rowCount() - 1, 4)) {
                    throw new IllegalStateException("last cell of a batch is null");
                }
                cells += (long) f.rowCount() * f.columnCount();
            }
        }
        return cells;
    }
}
