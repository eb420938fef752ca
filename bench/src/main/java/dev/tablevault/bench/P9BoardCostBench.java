package dev.tablevault.bench;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

import static dev.tablevault.bench.ExecSetup.T;
import static dev.tablevault.bench.ExecSetup.progress;
import static dev.tablevault.bench.Report.fmt;
import static dev.tablevault.bench.Report.median;

/**
 * P9: the live board costs at most 2% of execution throughput. P3's execution (an index from {@code range} and
 * one trivial row-wise LONG column, default checkpoints, SYNC) with {@code VaultOptions.board(true)} and
 * {@code board(false)}, interleaved in one run (the order alternates each round), a fresh vault each; a warm-up
 * run of each first. Median rows per second of each, and the median of the per-round ratios (pairs cancel the
 * machine's drift). Rounds on a shared machine vary far more than 2%, so it also reports a figure noise does
 * not move much: the CPU time of the board's thread ({@code tablevault-board}) over the process's CPU time
 * during the board-on runs.
 */
final class P9BoardCostBench {
    static final double TARGET = 0.02;

    private final int rows;
    private final int rounds;
    private final int warmupRows;

    P9BoardCostBench(int rows, int rounds, int warmupRows) {
        this.rows = rows;
        this.rounds = rounds;
        this.warmupRows = warmupRows;
    }

    /** One run: rows per second, and the CPU nanoseconds of the process and of the board's thread (0: off). */
    private record Run(double rate, long processCpu, long boardCpu) {
    }

    void run(Report report) throws Exception {
        progress("P9 warm-up, " + warmupRows + " rows each");
        once(true, warmupRows);
        once(false, warmupRows);
        double[] on = new double[rounds];
        double[] off = new double[rounds];
        double[] ratio = new double[rounds];
        long processCpu = 0;
        long boardCpu = 0;
        for (int r = 0; r < rounds; r++) {
            boolean onFirst = r % 2 == 0;
            Run withBoard;
            if (onFirst) {
                withBoard = once(true, rows);
                off[r] = once(false, rows).rate();
            } else {
                off[r] = once(false, rows).rate();
                withBoard = once(true, rows);
            }
            on[r] = withBoard.rate();
            processCpu += withBoard.processCpu();
            boardCpu += withBoard.boardCpu();
            ratio[r] = on[r] / off[r];
            progress("P9 round " + (r + 1) + ": board on " + fmt(on[r], 0) + ", off " + fmt(off[r], 0) + " rows/s");
        }
        double cost = 1 - median(ratio);
        double cpuShare = (double) boardCpu / processCpu;
        report.line("### P9: execute " + rows + " rows (P3's execution) with and without the board").line("");
        report.line("`VaultOptions.board(true)` and `board(false)`, interleaved (order alternating each round), a"
                + " fresh vault each run; median of " + rounds + " rounds, per-round figures in the order they ran.")
                .line("");
        report.row("P9 board", "rows/s", "rounds (rows/s)").row("---", "---:", "---");
        report.row("on", fmt(median(on), 0), Report.join(on, 0));
        report.row("off", fmt(median(off), 0), Report.join(off, 0));
        report.line("").line("Per-round ratio on/off: " + Report.join(ratio, 3) + " (median " + fmt(median(ratio), 3)
                + ").").line("");
        report.line("The board's thread used " + fmt(boardCpu / 1e6, 1) + " ms of CPU against " + fmt(processCpu / 1e6, 0)
                + " ms for the whole process over the board-on runs: **" + fmt(cpuShare * 100, 3) + "%**.").line("");
        report.line("P9 (target: the board costs ≤ " + fmt(TARGET * 100, 0) + "% of throughput): median per-round ratio"
                + " on/off " + fmt(median(ratio), 3) + ", a cost of **" + fmt(cost * 100, 1) + "%** (ratio of medians "
                + fmt(median(on) / median(off), 3) + "), " + Report.verdict(cost <= TARGET) + "; the board's thread takes "
                + fmt(cpuShare * 100, 3) + "% of the CPU.").line("");
    }

    /** One execution of {@code n} rows in a fresh vault. */
    private static Run once(boolean board, int n) {
        Path dir = BenchDirs.create("tv-bench-p9-");
        try (Vault v = TableVault.open(dir.resolve("vault"), VaultOptions.defaults().author("bench").create(true)
                .durability(Durability.SYNC).board(board).builder("rownum", ExecSetup.ROW_NUMBER))) {
            ExecSetup.setupOneColumn(v, "base", n, null, "rownum");
            ExecSetup.quiesce();
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long boardThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("tablevault-board")).mapToLong(Thread::getId).findFirst().orElse(-1);
            long board0 = boardThread < 0 ? 0 : threads.getThreadCpuTime(boardThread);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            v.executeInstance(T, ExecuteOptions.defaults());
            long elapsed = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long boardCpu = boardThread < 0 ? 0 : threads.getThreadCpuTime(boardThread) - board0;
            if (ExecSetup.materializedRows(v, "base") != n) {
                throw new IllegalStateException("executed a wrong number of rows");
            }
            return new Run(n / (elapsed / 1e9), cpu, boardCpu);
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }
}
