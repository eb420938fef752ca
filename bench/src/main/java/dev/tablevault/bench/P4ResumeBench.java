package dev.tablevault.bench;

import dev.tablevault.bench.P4Resume.How;
import dev.tablevault.bench.P4Resume.Result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.tablevault.bench.ExecSetup.BATCH_ROWS;
import static dev.tablevault.bench.ExecSetup.progress;
import static dev.tablevault.bench.Report.fmt;
import static dev.tablevault.bench.Report.median;

/**
 * P4, resume after a kill at 50%: the column builder of a 2 x N-row execution stops at row N, either by
 * throwing (a user process id, so the process pauses; the vault is closed) or by its child JVM halting
 * ({@code Runtime.halt}, as {@code kill -9}); then {@code open} with {@code restart(true)}. Measures the time from
 * the start of {@code open} to the builder's first call for a new row, and the committed rows computed again
 * (see {@link P4Resume}); against the same figure at other N. Target: time to first new row independent of
 * rows done; ≤ 1 batch recomputed. A warm-up at N = 5,000, then every size and variant once, then again.
 */
final class P4ResumeBench {
    /** Counts as flat when the slowest size's median is within this factor of the fastest's (noise). */
    static final double FLAT = 1.5;

    private final int[] done;
    private final int reps;
    private final List<How> hows = new ArrayList<>(List.of(How.THROWN));

    /** {@code halt}: also the child-JVM halt variant; {@code split}: also the diagnostic open-then-resume one. */
    P4ResumeBench(int[] done, int reps, boolean halt, boolean split) {
        this.done = done;
        this.reps = reps;
        if (halt) {
            hows.add(How.HALTED);
        }
        if (split) {
            hows.add(How.SPLIT);
        }
    }

    void run(Report report) throws Exception {
        progress("P4 warm-up, 5,000 rows done");
        for (How how : hows) {
            P4Resume.run(how, 5_000);
        }
        // results[how][done index][rep]; every size and variant once, then again
        Result[][][] results = new Result[hows.size()][done.length][reps];
        for (int rep = 0; rep < reps; rep++) {
            for (int d = 0; d < done.length; d++) {
                for (int h = 0; h < hows.size(); h++) {
                    Result r = P4Resume.run(hows.get(h), done[d]);
                    progress("P4 rep " + (rep + 1) + ": " + r);
                    results[h][d][rep] = r;
                }
            }
        }
        report.line("### P4: resume after a kill at 50%").line("");
        report.line("Table of 2 x N rows (index + one row-wise LONG column, default checkpoints, SYNC); the column"
                + " builder is stopped at row N. Time from the start of `TableVault.open` to the builder's first"
                + " call for a new row; median of " + reps + " repetitions, each from a fresh vault (all sizes and"
                + " variants once, then again), after a warm-up at N = 5,000. WAL: the size of RocksDB's"
                + " write-ahead log files in the vault before the reopen; WAL recovery: from `recovery_started` to"
                + " `recovery_finished` in RocksDB's own `LOG` for that open (replaying the WAL and flushing it to"
                + " a table file), part of the time to the first new row.").line("");
        report.line("| how the run stopped; how it resumed | rows done N | table rows | WAL (MiB) | open → first new"
                + " row, ms (median) | repetitions (ms) | of which RocksDB WAL recovery (ms) | `open` alone (ms) |"
                + " resume returned, rest done (ms) | resumed at row | recomputed rows (max) | rest rows/s |");
        report.line("|---|---:|---:|---:|---:|---|---:|---:|---:|---|---|---:|");
        List<String> verdicts = new ArrayList<>();
        for (int h = 0; h < hows.size(); h++) {
            double[] medians = new double[done.length];
            long maxRecomputed = 0;
            for (int d = 0; d < done.length; d++) {
                Result[] rs = results[h][d];
                double[] first = Arrays.stream(rs).mapToDouble(Result::firstRowMs).toArray();
                medians[d] = median(first);
                long rec = Arrays.stream(rs).mapToLong(Result::recomputed).max().orElseThrow();
                maxRecomputed = Math.max(maxRecomputed, rec);
                Result worst = Arrays.stream(rs).filter(r -> r.recomputed() == rec).findFirst().orElseThrow();
                double open = median(rs, Result::openMs);
                report.row(hows.get(h).label, fmt(done[d], 0), fmt(2L * done[d], 0),
                        fmt(median(rs, Result::walBytes) / (1024 * 1024), 1), fmt(medians[d], 1),
                        Report.join(first, 1), fmt(median(rs, Result::recoveryMs), 1),
                        Double.isNaN(open) ? "(in the previous column)" : fmt(open, 1),
                        fmt(median(rs, Result::resumeReturnedMs), 0),
                        Arrays.stream(rs).map(r -> fmt(r.resumedAt(), 0)).reduce((x, y) -> x + " / " + y).orElse(""),
                        worst.recomputedWhat(), fmt(median(rs, Result::restRowsPerSec), 0));
            }
            if (hows.get(h) != How.SPLIT) {
                verdicts.add(verdict(hows.get(h), medians, maxRecomputed));
            }
        }
        report.line("");
        for (String l : verdicts) {
            report.line(l).line("");
        }
    }

    private String verdict(How how, double[] medians, long maxRecomputed) {
        int last = done.length - 1;
        double growth = Arrays.stream(medians).max().orElseThrow() / Arrays.stream(medians).min().orElseThrow();
        return "P4, " + how.label + " (target: time to first new row independent of rows done; ≤ 1 batch"
                + " recomputed): " + fmt(medians[0], 1) + " ms at N = " + fmt(done[0], 0) + " → "
                + fmt(medians[last], 1) + " ms at N = " + fmt(done[last], 0) + ", largest / smallest"
                + " median " + fmt(growth, 2) + "x over " + fmt((double) done[last] / done[0], 0)
                + "x the rows done: time " + Report.verdict(growth <= FLAT) + " (flat = within "
                + fmt(FLAT, 1) + "x); at most " + maxRecomputed + " rows recomputed"
                + (maxRecomputed <= BATCH_ROWS ? " (≤ 1 batch of " + BATCH_ROWS + " rows): **met**"
                : " (more than one batch): **missed**") + ".";
    }
}
