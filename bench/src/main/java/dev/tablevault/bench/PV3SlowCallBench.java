package dev.tablevault.bench;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tablevault.bench.ExecSetup.INDEX;
import static dev.tablevault.bench.ExecSetup.T;
import static dev.tablevault.bench.ExecSetup.progress;
import static dev.tablevault.bench.Report.fmt;
import static dev.tablevault.bench.Report.median;

/**
 * PV3, many threads of slow calls: a row-wise builder that waits {@link #CALL_MILLIS} ms per row (a stand-in for
 * a model or HTTP call; the wait is {@code Thread.sleep}) on {@code threads} threads, SYNC. The figure is the rate
 * of that step alone (from the end of the index step to the step's last commit, as the listener sees them)
 * against the ideal {@code threads * 1000 / CALL_MILLIS} rows/s, and the process's CPU time per row over the step
 * (every thread of the JVM: the builder's, the process's, RocksDB's, the collector's). Beside it, the machine's
 * ceiling: a plain fixed pool of as many threads running the same sleeps, nothing else. Rows are
 * {@code rowsPerThread * threads}; checkpoints are the defaults (4,096 rows or 1 s) unless
 * {@code --pv3-checkpoint-rows} says otherwise. Target: at least 0.9x of ideal at 8, 32 and 128 threads.
 */
final class PV3SlowCallBench {
    static final double TARGET = 0.9;
    static final int CALL_MILLIS = 2;

    /** The slow call: sleeps, then returns the row number. */
    static final RowBuilder SLOW = (ctx, row) -> {
        Thread.sleep(CALL_MILLIS);
        return List.of(row);
    };

    private final int[] threads;
    private final int rowsPerThread;
    private final int rounds;
    private final int checkpointRows;
    private int runs;

    PV3SlowCallBench(int[] threads, int rowsPerThread, int rounds, int checkpointRows) {
        this.threads = threads;
        this.rowsPerThread = rowsPerThread;
        this.rounds = rounds;
        this.checkpointRows = checkpointRows;
    }

    void run(Report report) throws Exception {
        Path dir = BenchDirs.create("tv-bench-pv3-");
        double[][] rate = new double[threads.length][rounds];
        double[][] cpu = new double[threads.length][rounds];
        double[][] pool = new double[threads.length][rounds];
        double[][] poolCpu = new double[threads.length][rounds];
        try (Vault v = ExecSetup.create(dir.resolve("vault"), Durability.SYNC, Map.of("slow", SLOW))) {
            v.createTable(T, TableOptions.defaults());
            progress("PV3 warm-up");
            for (int t : threads) {
                once(v, t, Math.min(2000, t * 50));
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < threads.length; k++) {
                    int t = threads[k];
                    int n = t * rowsPerThread;
                    double[] got = once(v, t, n);
                    rate[k][r] = got[0];
                    cpu[k][r] = got[1];
                    double[] p = pool(t, n);
                    pool[k][r] = p[0];
                    poolCpu[k][r] = p[1];
                    progress("PV3 round " + (r + 1) + ", " + t + " threads, " + n + " rows: " + fmt(got[0], 0)
                            + " rows/s (" + fmt(got[0] / ideal(t), 3) + "x ideal; plain pool "
                            + fmt(pool[k][r] / ideal(t), 3) + "x, " + fmt(p[1], 1) + " µs CPU per row), " + fmt(got[1], 1)
                            + " µs CPU per row");
                }
            }
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
        report.line("### PV3: many threads of slow calls (" + CALL_MILLIS + " ms per row), "
                + rowsPerThread + " rows per thread, checkpoints "
                + (checkpointRows > 0 ? "every " + checkpointRows + " rows or 1 s" : "default (4,096 rows or 1 s)"))
                .line("");
        report.line("Rate of the slow step alone; ideal = threads x " + (1000 / CALL_MILLIS) + " rows/s. CPU is the"
                + " JVM's process CPU time over the step per row. The plain pool is the same sleeps on a bare fixed"
                + " thread pool right after each execution (the machine's ceiling for that many sleeping threads at"
                + " that moment; a sleep of 2 ms lasts about 2.1 ms). Median of " + rounds + " rounds.").line("");
        report.line("| threads | rows | rows/s | vs ideal | rounds (x ideal) | CPU µs/row | plain pool vs ideal | plain pool CPU µs/row | vs plain pool (per round) |");
        report.line("|---:|---:|---:|---:|---|---:|---:|---:|---|");
        StringBuilder verdict = new StringBuilder();
        boolean met = true;
        for (int k = 0; k < threads.length; k++) {
            int t = threads[k];
            double[] x = new double[rounds];
            double[] px = new double[rounds];
            double[] vp = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                x[r] = rate[k][r] / ideal(t);
                px[r] = pool[k][r] / ideal(t);
                vp[r] = rate[k][r] / pool[k][r];
            }
            report.row(Integer.toString(t), Integer.toString(t * rowsPerThread), fmt(median(rate[k]), 0),
                    fmt(median(x), 3) + "x", Report.join(x, 3), fmt(median(cpu[k]), 1), fmt(median(px), 3) + "x",
                    fmt(median(poolCpu[k]), 1), Report.join(vp, 3));
            if (t >= 8) {
                met &= median(x) >= TARGET;
                verdict.append(verdict.length() == 0 ? "" : ", ").append(t).append(": ").append(fmt(median(x), 3))
                        .append("x");
            }
        }
        report.line("").line("PV3 (target ≥ " + TARGET + "x of ideal at 8, 32 and 128 threads): **" + verdict + "**, "
                + Report.verdict(met) + ".").line("");
    }

    private static double ideal(int threads) {
        return threads * 1000.0 / CALL_MILLIS;
    }

    /** One execution on {@code t} threads over {@code n} rows: {slow step rows/s, process CPU µs per row}. */
    private double[] once(Vault v, int t, int n) {
        String version = "r" + (++runs);
        v.createInstance(T, InstanceOptions.defaults().version(version));
        v.putBuilder(T, version, ExecSetup.index(n, null), OpOptions.defaults());
        v.putBuilder(T, version, BuilderSpec.fromYaml("name: slow_b\ntype: column\nbuilder: slow\nmode: row-wise\n"
                + "changedColumns: [n]\ntypes: {n: long}\ndependencies: [" + INDEX + "]\nthreads: " + t + "\n"),
                OpOptions.defaults());
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] start = new long[2];
        long[] end = new long[2];
        ExecuteOptions o = ExecuteOptions.defaults().version(version).force(true).listener((b, step, steps, done, all) -> {
            if (done == all && (step == steps - 2 || step == steps - 1)) {
                long[] at = step == steps - 2 ? start : end;
                at[0] = System.nanoTime();
                at[1] = os.getProcessCpuTime();
            }
        });
        if (checkpointRows > 0) {
            o = o.checkpointRows(checkpointRows);
        }
        ExecSetup.quiesce();
        v.executeInstance(T, o);
        long got = ExecSetup.materializedRows(v, version);
        if (got != n) {
            throw new IllegalStateException("executed " + got + " rows, expected " + n);
        }
        List<String> ids = v.instances(T, version, false);
        v.deleteInstance(T, ids.get(0), OpOptions.defaults());
        return new double[] {n / ((end[0] - start[0]) / 1e9), (end[1] - start[1]) / 1e3 / n};
    }

    /** The same sleeps on a bare pool of {@code t} threads: {rows/s, process CPU µs per row}. */
    private static double[] pool(int t, int n) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ExecutorService p = Executors.newFixedThreadPool(t);
        try {
            AtomicLong next = new AtomicLong();
            ExecSetup.quiesce();
            long t0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < t; i++) {
                fs.add(p.submit(() -> {
                    while (next.getAndIncrement() < n) {
                        Thread.sleep(CALL_MILLIS);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            return new double[] {n / ((System.nanoTime() - t0) / 1e9), (os.getProcessCpuTime() - c0) / 1e3 / n};
        } finally {
            p.shutdownNow();
        }
    }
}
