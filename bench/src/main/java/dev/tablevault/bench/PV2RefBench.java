package dev.tablevault.bench;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.tablevault.bench.ExecSetup.progress;
import static dev.tablevault.bench.Report.fmt;
import static dev.tablevault.bench.Report.median;

/**
 * PV2, a reference per row: a row-wise builder {@code v = 2 * k} whose argument {@code k} is a literal (no
 * reference), or {@code <<self.k[index]>>} (a self reference), or
 * {@code <<customers.k[id::<<self.customer[index]>>]>>} (a cross-table equality lookup into a table of as many
 * rows, keys in a scattered order). Each instance has an index, the column the reference reads and {@code v};
 * the figure is the rate of the {@code v} step alone (from the end of the step before it to its last commit, as
 * the {@link dev.tablevault.api.ExecutionListener} sees them), default checkpoints, SYNC. Targets: self at least
 * 0.6x and cross-table at least 0.3x the no-reference rate of the same table shape. A warm-up of every variant,
 * then rounds in which each runs once, each reference variant right before or after its no-reference one (in
 * turn); the figure is the median of the rounds' ratios, with the CPU time of the step's thread per row beside.
 */
final class PV2RefBench {
    static final double SELF_TARGET = 0.6;
    static final double CROSS_TARGET = 0.3;
    /** An odd multiplier prime to 10: {@code row * SCATTER mod rows} visits every key once, in a scattered order. */
    private static final long SCATTER = 999_983L;

    private static final String SELF_NOREF = "self shape, no reference (`k: 7`)";
    private static final String SELF_REF = "self reference `<<self.k[index]>>`";
    private static final String CROSS_NOREF = "cross shape, no reference (`k: 7`)";
    private static final String CROSS_REF = "cross-table `<<customers.k[id::<<self.customer[index]>>]>>`";

    private final int rows;
    private final int rounds;
    private final int warmupRows;
    private int runs;

    PV2RefBench(int rows, int rounds, int warmupRows) {
        this.rows = rows;
        this.rounds = rounds;
        this.warmupRows = warmupRows;
    }

    /** {@code v = 2 * k}, {@code k} the argument; a literal and a reference reach it the same way. */
    static final RowBuilder DOUBLE = (ctx, row) -> List.of(2 * ((Number) ctx.arguments().get("k")).longValue());
    /** A scattered key: {@code row * SCATTER mod rowCount}, a permutation of the rows. */
    static final RowBuilder SCATTERED = (ctx, row) -> List.of(Math.floorMod(row * SCATTER, ctx.rowCount()));
    /** The row number, as {@link ExecSetup#ROW_NUMBER}, plus 1: keys and looked-up values differ. */
    static final RowBuilder PLUS_ONE = (ctx, row) -> List.of(row + 1);

    void run(Report report) throws Exception {
        Path dir = BenchDirs.create("tv-bench-pv2-");
        List<String> labels = List.of(SELF_NOREF, SELF_REF, CROSS_NOREF, CROSS_REF);
        double[][] rates = new double[labels.size()][rounds];
        double[][] totals = new double[labels.size()][rounds];
        double[][] cpu = new double[labels.size()][rounds];
        try (Vault v = ExecSetup.create(dir.resolve("vault"), Durability.SYNC,
                Map.of("double", DOUBLE, "scattered", SCATTERED, "plusone", PLUS_ONE, "rownum", ExecSetup.ROW_NUMBER))) {
            for (String t : List.of("customers", "self_t", "cross_t")) {
                v.createTable(t, TableOptions.defaults());
            }
            // The cross-table target: 'rows' customers, id = row, k = row + 1 (warm-up rounds read its first rows).
            v.createInstance("customers", InstanceOptions.defaults().version("base"));
            v.putBuilder("customers", "base", index("customers", rows), OpOptions.defaults());
            v.putBuilder("customers", "base", column("ck", "plusone", "k", List.of("customers_index"), null),
                    OpOptions.defaults());
            v.executeInstance("customers", ExecuteOptions.defaults());
            progress("PV2 warm-up, " + warmupRows + " rows each");
            for (String label : labels) {
                once(v, label, warmupRows);
            }
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < labels.size(); j++) {
                    // Each pair (no reference, reference) runs back to back, in turn first, to share the load.
                    int k = r % 2 == 0 ? j : j ^ 1;
                    double[] got = once(v, labels.get(k), rows);
                    rates[k][r] = got[0];
                    totals[k][r] = got[1];
                    cpu[k][r] = got[2];
                    progress("PV2 round " + (r + 1) + ", " + labels.get(k) + ": " + fmt(got[0], 0)
                            + " rows/s in the v step (" + fmt(got[2], 3) + " µs CPU per row), " + fmt(got[1], 0)
                            + " rows/s whole execution");
                }
            }
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
        report.line("### PV2: a reference per row, " + rows + " rows, row-wise `v = 2 * k`").line("");
        report.line("Rate of the `v` step alone (its rows over the time from the end of the step before it to its"
                + " last commit); whole execution (index, the column read, `v`) for reference. The cross-table"
                + " reference looks up `customers`, " + rows + " rows, keys in a scattered order. Median of " + rounds
                + " rounds; per-round figures in the order they ran. The CPU column is the CPU time of the thread"
                + " running the step (not the collector's or RocksDB's threads), a figure other processes on the"
                + " machine disturb less than the rate.").line("");
        report.line("| PV2 variant | v step rows/s | rounds (rows/s) | vs no reference | v step CPU µs/row (thread)"
                + " | CPU vs no reference | whole execution rows/s |");
        report.line("|---|---:|---|---:|---:|---:|---:|");
        for (int k = 0; k < labels.size(); k++) {
            int base = k < 2 ? 0 : 2;
            report.row(labels.get(k), fmt(median(rates[k]), 0), Report.join(rates[k], 0),
                    fmt(median(rates[k]) / median(rates[base]), 2) + "x", fmt(median(cpu[k]), 3),
                    fmt(median(cpu[k]) / median(cpu[base]), 2) + "x", fmt(median(totals[k]), 0));
        }
        double[] selfPairs = new double[rounds];
        double[] crossPairs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            selfPairs[r] = rates[1][r] / rates[0][r];
            crossPairs[r] = rates[3][r] / rates[2][r];
        }
        double self = median(selfPairs);
        double cross = median(crossPairs);
        report.line("").line("Per round, reference / no reference (the pair ran back to back): self "
                + Report.join(selfPairs, 2) + "; cross-table " + Report.join(crossPairs, 2) + ".").line("");
        report.line("PV2 self (target ≥ " + SELF_TARGET + "x, median of the rounds' ratios): **" + fmt(self, 2) + "x**, "
                + Report.verdict(self >= SELF_TARGET) + " (CPU of the step thread " + fmt(median(cpu[1]) / median(cpu[0]), 2)
                + "x); cross-table (target ≥ " + CROSS_TARGET + "x): **" + fmt(cross, 2) + "x**, "
                + Report.verdict(cross >= CROSS_TARGET) + " (CPU " + fmt(median(cpu[3]) / median(cpu[2]), 2) + "x).");
        report.line("");
    }

    /**
     * One execution of {@code label} over {@code n} rows in a new instance: {v step rows/s, whole rows/s, v step
     * CPU µs per row of the executing thread}.
     */
    private double[] once(Vault v, String label, int n) {
        String version = "r" + (++runs);
        boolean cross = label.equals(CROSS_NOREF) || label.equals(CROSS_REF);
        String table = cross ? "cross_t" : "self_t";
        String k = switch (label) {
            case SELF_REF -> "'<<self.k[index]>>'";
            case CROSS_REF -> "'<<customers.k[id::<<self.customer[index]>>]>>'";
            default -> "7";
        };
        v.createInstance(table, InstanceOptions.defaults().version(version));
        v.putBuilder(table, version, index(table, n), OpOptions.defaults());
        v.putBuilder(table, version, cross ? column("cust", "scattered", "customer", List.of(table + "_index"), null)
                : column("kb", "rownum", "k", List.of(table + "_index"), null), OpOptions.defaults());
        List<String> deps = List.of(table + "_index", cross ? "cust" : "kb");
        v.putBuilder(table, version, column("vb", "double", "v", deps, "{k: " + k + "}"), OpOptions.defaults());
        // Wall and CPU time of the thread running the steps (the listener runs on it) at both ends of the v step.
        long[] start = new long[2];
        long[] end = new long[2];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ExecSetup.quiesce();
        long t0 = System.nanoTime();
        v.executeInstance(table, ExecuteOptions.defaults().version(version).force(true).listener((b, step, steps, done, all) -> {
            if (done == all && (step == steps - 2 || step == steps - 1)) {
                long[] at = step == steps - 2 ? start : end;
                at[0] = System.nanoTime();
                at[1] = threads.getCurrentThreadCpuTime();
            }
        }));
        long elapsed = System.nanoTime() - t0;
        check(v, table, version, n, label);
        return new double[] {n / ((end[0] - start[0]) / 1e9), n / (elapsed / 1e9), (end[1] - start[1]) / 1e3 / n};
    }

    /** The last rows' v are what the variant computes: 14, 2 * (row + 1), or 2 * (customer + 1). */
    private static void check(Vault v, String table, String version, int n, String label) {
        List<String> ids = v.instances(table, version, false);
        try (RowCursor c = v.rows(table, ReadOptions.id(ids.get(0)))) {
            int col = c.columns().stream().map(Column::name).toList().indexOf("v");
            long row = 0;
            while (c.hasNext()) {
                List<Object> values = c.next();
                long want = switch (label) {
                    case SELF_REF -> 2 * row;
                    case CROSS_REF -> 2 * (Math.floorMod(row * SCATTER, n) + 1);
                    default -> 14;
                };
                Object got = values.get(col);
                if (!Long.valueOf(want).equals(got)) {
                    throw new IllegalStateException(label + ": row " + row + " has v = " + got + ", expected " + want);
                }
                row++;
            }
            if (row != n) {
                throw new IllegalStateException(label + ": " + row + " rows, expected " + n);
            }
        }
    }

    private static BuilderSpec index(String table, long n) {
        return BuilderSpec.fromYaml("name: " + table + "_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                + "types: {id: long}\narguments: {count: " + n + "}\n");
    }

    private static BuilderSpec column(String name, String builder, String col, List<String> deps, String arguments) {
        return BuilderSpec.fromYaml("name: " + name + "\ntype: column\nbuilder: " + builder + "\nmode: row-wise\n"
                + "changedColumns: [" + col + "]\ntypes: {" + col + ": long}\ndependencies: [" + String.join(", ", deps)
                + "]\n" + (arguments == null ? "" : "arguments: " + arguments + "\n"));
    }
}
