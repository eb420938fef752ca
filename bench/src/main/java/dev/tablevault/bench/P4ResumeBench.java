package dev.tablevault.bench;

import dev.tablevault.bench.P4Resume.How;
import dev.tablevault.bench.P4Resume.Result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

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
 *
 * <p>Each variant runs on every backend asked for (issue 15). On PostgreSQL: resume ≤ 30 ms (the split variant's
 * {@code resumeProcess} to the first new row, and open → first new row), failover ≤ the lease + 3 s (the halted
 * variant: from the child's halt to the first new row in this JVM, another host; see {@link P4Resume}).
 */
final class P4ResumeBench {
    /** Counts as flat when the slowest size's median is within this factor of the fastest's (noise). */
    static final double FLAT = 1.5;

    private final int[] done;
    private final int reps;
    /** Issue 15 on PostgreSQL: resume, ms; failover, ms beyond the lease. */
    static final double PG_RESUME_MS = 30;
    static final double PG_FAILOVER_BEYOND_LEASE_MS = 3000;

    /** One way of stopping and resuming, on one backend. */
    private record Variant(How how, BenchBackend backend) {
        String label() {
            return how.label + (backend == BenchBackend.ROCKS ? "" : ", " + backend.label + " vault");
        }
    }

    private final List<Variant> hows = new ArrayList<>();
    private final Duration lease;

    /**
     * {@code halt}: also the child-JVM halt variant; {@code split}: also the diagnostic open-then-resume one; each
     * on every one of {@code backends}; {@code lease}: the halted child's lease on PostgreSQL.
     */
    P4ResumeBench(int[] done, int reps, boolean halt, boolean split, List<BenchBackend> backends, Duration lease) {
        this.done = done;
        this.reps = reps;
        this.lease = lease;
        for (BenchBackend b : backends) {
            hows.add(new Variant(How.THROWN, b));
            if (halt) {
                hows.add(new Variant(How.HALTED, b));
            }
            if (split) {
                hows.add(new Variant(How.SPLIT, b));
            }
        }
    }

    void run(Report report) throws Exception {
        progress("P4 warm-up, 5,000 rows done");
        for (Variant how : hows) {
            P4Resume.run(how.how(), 5_000, how.backend(), lease);
        }
        // results[how][done index][rep]; every size and variant once, then again
        Result[][][] results = new Result[hows.size()][done.length][reps];
        for (int rep = 0; rep < reps; rep++) {
            for (int d = 0; d < done.length; d++) {
                for (int h = 0; h < hows.size(); h++) {
                    Result r = P4Resume.run(hows.get(h).how(), done[d], hows.get(h).backend(), lease);
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
                report.row(hows.get(h).label(), fmt(done[d], 0), fmt(2L * done[d], 0),
                        fmt(median(rs, Result::walBytes) / (1024 * 1024), 1), fmt(medians[d], 1),
                        Report.join(first, 1), fmt(median(rs, Result::recoveryMs), 1),
                        Double.isNaN(open) ? "(in the previous column)" : fmt(open, 1),
                        fmt(median(rs, Result::resumeReturnedMs), 0),
                        Arrays.stream(rs).map(r -> fmt(r.resumedAt(), 0)).reduce((x, y) -> x + " / " + y).orElse(""),
                        worst.recomputedWhat(), fmt(median(rs, Result::restRowsPerSec), 0));
            }
            if (hows.get(h).how() != How.SPLIT) {
                verdicts.add(verdict(hows.get(h).label(), medians, maxRecomputed));
            }
        }
        report.line("");
        for (String l : verdicts) {
            report.line(l).line("");
        }
        issue15(report, results);
    }

    /** Issue 15's resume and failover figures on PostgreSQL, each beside the same on RocksDB. */
    private void issue15(Report report, Result[][][] results) {
        if (hows.stream().noneMatch(v -> v.backend() == BenchBackend.PG)) {
            return;
        }
        report.line("Issue 15, resume and failover, all sizes pooled (median, min–max of " + reps * done.length
                + " runs); load " + Report.loadAverage() + ":").line("");
        report.line("| figure | backend | median ms | min–max ms |");
        report.line("|---|---|---:|---|");
        for (int h = 0; h < hows.size(); h++) {
            Variant v = hows.get(h);
            Result[] all = Arrays.stream(results[h]).flatMap(Arrays::stream).toArray(Result[]::new);
            switch (v.how()) {
                case THROWN -> pooled(report, "resume: open(restart(true)) → first new row", v, all, Result::firstRowMs);
                case SPLIT -> {
                    pooled(report, "resume: `open()` alone", v, all, Result::openMs);
                    pooled(report, "resume: `resumeProcess` → first new row", v, all,
                            r -> r.firstRowMs() - r.openMs());
                }
                case HALTED -> {
                    if (v.backend() == BenchBackend.ROCKS) {
                        // one host: the same machine reopens at once, there is no lease to wait for
                        pooled(report, "after kill -9: open(restart(true)) → first new row", v, all, Result::firstRowMs);
                    } else {
                        pooled(report, "failover: halt → lease seen ended", v, all, r -> r.failover().leaseEndedMs());
                        pooled(report, "failover: open(restart(true)) → first new row (sweep, claim, resume)", v,
                                all, Result::firstRowMs);
                        pooled(report, "failover: halt → first new row", v, all, r -> r.failover().firstRowMs());
                    }
                }
                default -> throw new IllegalStateException(v.how().name());
            }
        }
        report.line("");
        for (int h = 0; h < hows.size(); h++) {
            Variant v = hows.get(h);
            if (v.backend() != BenchBackend.PG) {
                continue;
            }
            Result[] all = Arrays.stream(results[h]).flatMap(Arrays::stream).toArray(Result[]::new);
            if (v.how() == How.SPLIT) {
                double ms = median(Arrays.stream(all).mapToDouble(r -> r.firstRowMs() - r.openMs()).toArray());
                report.line("Resume on PostgreSQL (issue 15: ≤ " + fmt(PG_RESUME_MS, 0) + " ms), `resumeProcess` →"
                        + " first new row: **" + fmt(ms, 1) + " ms**, " + Report.verdict(ms <= PG_RESUME_MS) + ".").line("");
            } else if (v.how() == How.HALTED) {
                double ms = median(Arrays.stream(all).mapToDouble(r -> r.failover().firstRowMs()).toArray());
                long leaseMs = all[0].failover().leaseMs();
                report.line("Failover on PostgreSQL (issue 15: ≤ lease + 3 s = " + fmt(leaseMs + PG_FAILOVER_BEYOND_LEASE_MS, 0)
                        + " ms with the child's lease of " + leaseMs + " ms), halt → first new row on the other host: **"
                        + fmt(ms, 0) + " ms**, " + Report.verdict(ms <= leaseMs + PG_FAILOVER_BEYOND_LEASE_MS) + ".").line("");
            }
        }
    }

    private static void pooled(Report report, String what, Variant v, Result[] all, ToDoubleFunction<Result> f) {
        double[] ms = Arrays.stream(all).mapToDouble(f).toArray();
        report.row(what, v.backend().label, fmt(median(ms), 1), fmt(Arrays.stream(ms).min().orElseThrow(), 1) + "–"
                + fmt(Arrays.stream(ms).max().orElseThrow(), 1));
    }

    private String verdict(String label, double[] medians, long maxRecomputed) {
        int last = done.length - 1;
        double growth = Arrays.stream(medians).max().orElseThrow() / Arrays.stream(medians).min().orElseThrow();
        return "P4, " + label + " (target: time to first new row independent of rows done; ≤ 1 batch"
                + " recomputed): " + fmt(medians[0], 1) + " ms at N = " + fmt(done[0], 0) + " → "
                + fmt(medians[last], 1) + " ms at N = " + fmt(done[last], 0) + ", largest / smallest"
                + " median " + fmt(growth, 2) + "x over " + fmt((double) done[last] / done[0], 0)
                + "x the rows done: time " + Report.verdict(growth <= FLAT) + " (flat = within "
                + fmt(FLAT, 1) + "x); at most " + maxRecomputed + " rows recomputed"
                + (maxRecomputed <= BATCH_ROWS ? " (≤ 1 batch of " + BATCH_ROWS + " rows): **met**"
                : " (more than one batch): **missed**") + ".";
    }
}
