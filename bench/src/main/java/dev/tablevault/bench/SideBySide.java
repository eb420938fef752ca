package dev.tablevault.bench;

import dev.tablevault.api.Durability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The side-by-side harness for P1 and P2 (DESIGN.md section 10): fixed operation counts, every system in one
 * JVM, rounds interleaved (round 1 of each system, then round 2, ...) so drift on the machine hits all of
 * them alike; prints Markdown for docs/BENCHMARKS.md.
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests [-Dbench.args="--rounds 5"]
 * </pre>
 *
 * Options (defaults in brackets): {@code --p1-ops N} operations per P1 round [2000], {@code --p2-ops N}
 * operations per P2 round, split evenly over the threads [16000], {@code --threads 1,4,16},
 * {@code --rounds N} [3], {@code --warmup-ops N} [500], {@code --settle-ops N} single-thread operations each
 * system does first, see {@link Target#SETTLE_OPS} [16000], {@code --only ours,rocks,sqlite,ref} (which
 * systems; {@code ref} = the reference rows: no fsync, and raw RocksDB with default options) [all],
 * {@code --skip-p1}, {@code --skip-p2}, {@code --cpu-ops N} operations per round of the CPU measure [20000],
 * {@code --skip-cpu}. {@code --only} also takes {@code pg} (not in the default): the engine on a vault in
 * PostgreSQL ({@link BenchBackend#PG}), judged by issue 15's targets (p50 ≤ 1.5 ms, 16 threads ≥ 3k ops/s) and
 * against the RocksDB vault ({@code ours}); {@code --pg-statements} counts the statements PostgreSQL ran per
 * operation in P1's rounds ({@code pg_stat_statements}). Scratch directories go under {@code -Dbench.dir} or
 * {@code java.io.tmpdir} and are deleted at the end.
 *
 * <p>P1: the mean over each round's N operations, the median of the rounds' means reported, plus p50/p99 of
 * all single-operation latencies. A TableVault operation is one {@code createTable} or one
 * {@code deleteTable} (they alternate; their p50s are also shown apart). P2: T threads start together on a
 * barrier, each does N/T operations on its own names; throughput = N / wall time from the barrier to the last
 * thread's end; median of rounds. Every round does the same N whatever T, so a 1-thread round lasts as long
 * as the others and averages over the same background flushes and compactions. P2's targets: 16 threads at least
 * 0.9x raw synced batches (same WAL options, same run), and CPU per operation with {@code Durability.NONE} at
 * most 2.5x a raw unsynced batch's ({@link P2CpuCost}, after P2).
 */
public final class SideBySide {
    static final String OURS = "TableVault SYNC";
    static final String ROCKS = "RocksDB synced batch";
    static final String SQLITE = "SQLite WAL FULL";
    static final String OURS_NONE = "(ref) TableVault NONE";
    static final String OURS_PG = "TableVault SYNC, PostgreSQL vault";
    /** Issue 15's targets for a shared vault: small op p50 (ms), 16 threads (ops/s). */
    static final double PG_P50_MS = 1.5;
    static final double PG_16_THREADS = 3000;
    static final String ROCKS_NOSYNC = "(ref) RocksDB batch, sync=false";
    static final String ROCKS_DEFAULT = "(ref) RocksDB synced batch, default options";

    private int p1Ops = 2000;
    private int p2Ops = 16_000;
    private int[] threads = {1, 4, 16};
    private int rounds = 3;
    private int warmupOps = 500;
    private int settleOps = Target.SETTLE_OPS;
    private Set<String> only = new LinkedHashSet<>(List.of("ours", "rocks", "sqlite", "ref"));
    private boolean p1 = true;
    private boolean p2 = true;
    private int cpuOps = 20_000;
    private boolean cpu = true;
    private boolean pgStatements;

    public static void main(String[] args) throws Exception {
        SideBySide s = new SideBySide();
        CliArgs.parseOrExit(() -> s.parse(args));
        s.run();
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--p1-ops" -> p1Ops = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p2-ops" -> p2Ops = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--rounds" -> rounds = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--warmup-ops" -> warmupOps = Integer.parseInt(CliArgs.value(args, ++i));
                case "--settle-ops" -> settleOps = Integer.parseInt(CliArgs.value(args, ++i));
                case "--threads" -> threads = Arrays.stream(CliArgs.value(args, ++i).split(","))
                        .mapToInt(t -> CliArgs.positive("--threads", t.trim())).sorted().distinct().toArray();
                case "--only" -> only = new LinkedHashSet<>(Arrays.asList(CliArgs.value(args, ++i).split(",")));
                case "--skip-p1" -> p1 = false;
                case "--skip-p2" -> p2 = false;
                case "--cpu-ops" -> cpuOps = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--skip-cpu" -> cpu = false;
                case "--pg-statements" -> pgStatements = true;
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (known: --p1-ops --p2-ops --threads --rounds --warmup-ops --settle-ops --only --skip-p1"
                        + " --skip-p2 --cpu-ops --skip-cpu --pg-statements)");
            }
        }
        if (p1Ops % 2 != 0 || warmupOps % 2 != 0 || settleOps % 2 != 0 || cpuOps % 2 != 0) {
            throw new IllegalArgumentException("operation counts must be even (TableVault alternates create/delete)");
        }
        for (int t : threads) {
            if (p2Ops % (2 * t) != 0) {
                throw new IllegalArgumentException("--p2-ops " + p2Ops + " must split into an even count per thread"
                        + " for " + t + " threads (TableVault alternates create/delete)");
            }
        }
        for (int t : threads) {
            if (t > Target.MAX_THREADS) {
                throw new IllegalArgumentException("at most " + Target.MAX_THREADS + " threads");
            }
        }
    }

    private void run() throws Exception {
        JvmFlags.warnIfWrong();
        Report report = new Report().header("SideBySide results", false);
        report.line("- raw RocksDB batch: " + RawRocksTarget.PUTS + " puts of " + RawRocksTarget.VALUE_BYTES
                + "-byte values over the meta/proc/locks column families; SQLite row: " + RawRocksTarget.VALUE_BYTES + " bytes");
        report.line("- TableVault keeps the newest " + OursTarget.KEEP_FINISHED + " finished processes (-Dbench.keep)");
        report.line("- P1: " + p1Ops + " ops per round, P2: " + p2Ops + " ops per round split over the threads, threads "
                + Arrays.toString(threads) + ", " + rounds + " rounds (median reported), warm-up " + warmupOps + " ops"
                + " after " + settleOps + " settling ops per system (WAL files filled and reused)");
        report.line("").jvmFlagWarnings();
        long start = System.nanoTime();
        if (pgStatements && only.contains("pg")) {
            BenchBackend.trackStatements();
        }
        if (p1) {
            runP1(report);
        }
        if (p2) {
            runP2(report);
        }
        if (cpu) {
            runCpu(report);
        }
        System.out.print(report.total(start));
    }

    // ---- P1 -----------------------------------------------------------------------------------------------

    private void runP1(Report report) throws Exception {
        List<Target> targets = new ArrayList<>();
        try {
            openAndSettle(false, targets);
            for (Target t : targets) {
                for (int i = 0; i < warmupOps; i++) {
                    t.op(0);
                }
            }
            double[][] roundMeans = new double[targets.size()][rounds];
            long[][] samples = new long[targets.size()][rounds * p1Ops];
            OursTarget pg = (OursTarget) targets.stream().filter(t -> t.label().equals(OURS_PG)).findFirst()
                    .orElse(null);
            if (pg != null && pgStatements) {
                BenchBackend.resetStatements(pg.location());
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < targets.size(); k++) {
                    Target t = targets.get(k);
                    long[] s = samples[k];
                    int base = r * p1Ops;
                    long roundStart = System.nanoTime();
                    long prev = roundStart;
                    for (int i = 0; i < p1Ops; i++) {
                        t.op(0);
                        long now = System.nanoTime();
                        s[base + i] = now - prev;
                        prev = now;
                    }
                    roundMeans[k][r] = (prev - roundStart) / 1e3 / p1Ops;
                }
            }
            List<Report.Latency> rows = new ArrayList<>();
            for (int k = 0; k < targets.size(); k++) {
                long[] s = samples[k].clone();
                Arrays.sort(s);
                String detail = "p50 " + Report.fmt(s[s.length / 2] / 1e3, 1)
                        + ", p99 " + Report.fmt(s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e3, 1)
                        + "; rounds " + Report.joinMeans(roundMeans[k]);
                if (targets.get(k) instanceof OursTarget) {
                    // warm-up and round sizes are even, so even samples are createTable, odd ones deleteTable
                    detail += "; createTable p50 " + Report.fmt(parityMedian(samples[k], 0) / 1e3, 1)
                            + ", deleteTable p50 " + Report.fmt(parityMedian(samples[k], 1) / 1e3, 1);
                }
                rows.add(new Report.Latency(targets.get(k).label(), Report.median(roundMeans[k]), detail));
            }
            report.line("### P1: one small durable operation, 1 thread").line("");
            report.p1(rows, OURS, ROCKS, "p50 / p99 µs; round means");
            report.line("");
            if (pg != null) {
                int k = targets.indexOf(pg);
                double p50 = p50(samples[k]) / 1e6;
                int o = targets.indexOf(targets.stream().filter(t -> t.label().equals(OURS)).findFirst().orElse(pg));
                report.line("P1 on PostgreSQL (issue 15: small op p50 ≤ " + Report.fmt(PG_P50_MS, 1) + " ms): p50 **"
                        + Report.fmt(p50, 3) + " ms**, " + Report.verdict(p50 <= PG_P50_MS) + "; "
                        + Report.fmt(p50 / (p50(samples[o]) / 1e6), 2) + "x the RocksDB vault's p50 in the same run.");
                if (pgStatements) {
                    long[] st = BenchBackend.statements(pg.location());
                    int ops = rounds * p1Ops;
                    report.line("").line("Statements PostgreSQL ran per operation in those rounds: "
                            + Report.fmt((double) st[0] / ops, 2) + " (of them BEGIN, a write transaction: " + Report.fmt((double) st[1] / ops, 2)
                            + "), lease renewals included; the most frequent, per operation:").line("");
                    for (String l : BenchBackend.topStatements(pg.location(), 12, ops)) {
                        report.line("- " + l);
                    }
                }
                report.line("");
            }
        } finally {
            closeAll(targets);
        }
    }

    // ---- P2 -----------------------------------------------------------------------------------------------

    private void runP2(Report report) throws Exception {
        List<Target> targets = new ArrayList<>();
        try {
            openAndSettle(true, targets);
            int warm = Math.max(2, warmupOps / 2 * 2);
            for (Target t : targets) {
                parallel(t, threads[threads.length - 1], warm);
            }
            double[][][] rates = new double[targets.size()][threads.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int ti = 0; ti < threads.length; ti++) {
                    for (int k = 0; k < targets.size(); k++) {
                        rates[k][ti][r] = parallel(targets.get(k), threads[ti], p2Ops / threads[ti]);
                    }
                }
            }
            List<Report.Throughput> cells = new ArrayList<>();
            for (int k = 0; k < targets.size(); k++) {
                for (int ti = 0; ti < threads.length; ti++) {
                    cells.add(new Report.Throughput(targets.get(k).label(), threads[ti], Report.median(rates[k][ti])));
                }
            }
            report.line("### P2: independent small durable operations, ops/s summed over threads").line("");
            report.p2(cells, OURS, ROCKS);
            report.line("");
            double pg = cells.stream().filter(c -> c.label().equals(OURS_PG) && c.threads() == 16)
                    .mapToDouble(Report.Throughput::opsPerSec).findFirst().orElse(Double.NaN);
            double rocks = cells.stream().filter(c -> c.label().equals(OURS) && c.threads() == 16)
                    .mapToDouble(Report.Throughput::opsPerSec).findFirst().orElse(Double.NaN);
            if (!Double.isNaN(pg)) {
                report.line("P2 on PostgreSQL (issue 15: 16 threads ≥ " + Report.fmt(PG_16_THREADS, 0) + " ops/s): **"
                        + Report.fmt(pg, 0) + " ops/s**, " + Report.verdict(pg >= PG_16_THREADS) + "; "
                        + Report.fmt(pg / rocks, 2) + "x the RocksDB vault in the same run.").line("");
            }
            report.line("Per-round ops/s (P2):").line("");
            for (int k = 0; k < targets.size(); k++) {
                for (int ti = 0; ti < threads.length; ti++) {
                    report.line("- " + targets.get(k).label() + ", " + threads[ti] + (threads[ti] == 1 ? " thread: " : " threads: ")
                            + Report.joinMeans(rates[k][ti]));
                }
            }
        } finally {
            closeAll(targets);
        }
    }

    // ---- P2 CPU ---------------------------------------------------------------------------------------------

    private void runCpu(Report report) {
        List<Target> targets = new ArrayList<>();
        try {
            targets.add(new OursTarget(Durability.NONE, OURS_NONE));
            Target.settle(targets.get(0), settleOps);
            targets.add(new RawRocksTarget(false, true, ROCKS_NOSYNC));
            Target.settle(targets.get(1), settleOps);
            for (Target t : targets) {
                Target.settle(t, cpuOps); // a round's worth unmeasured: the JIT compiles the engine's paths first
            }
            report.line("");
            P2CpuCost.report(report, P2CpuCost.measure(targets, cpuOps, rounds), OURS_NONE, ROCKS_NOSYNC, cpuOps);
        } finally {
            closeAll(targets);
        }
    }

    /** Runs {@code n} threads of {@code opsPerThread} operations each; returns operations per second. */
    private static double parallel(Target target, int n, int opsPerThread) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(n + 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            workers[i] = new Thread(() -> {
                try {
                    barrier.await();
                    for (int k = 0; k < opsPerThread; k++) {
                        target.op(index);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-" + target.label() + "-" + i);
            workers[i].start();
        }
        barrier.await();
        long start = System.nanoTime();
        for (Thread w : workers) {
            w.join();
        }
        long elapsed = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new IllegalStateException(target.label() + " failed with " + n + " threads", failure.get());
        }
        return (double) n * opsPerThread / (elapsed / 1e9);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /**
     * Opens the systems {@code --only} names, for P1 or (with {@code p2}) P2, into {@code targets} (so the caller
     * closes those opened if one fails), and settles each. P2 has no unsynced RocksDB row, and SQLite's label
     * says its threads share one connection.
     */
    private void openAndSettle(boolean p2, List<Target> targets) {
        List<Supplier<Target>> factories = new ArrayList<>();
        if (only.contains("ours")) {
            factories.add(() -> new OursTarget(Durability.SYNC, OURS));
        }
        if (only.contains("pg")) {
            factories.add(() -> new OursTarget(BenchBackend.PG, Durability.SYNC, OURS_PG));
        }
        if (only.contains("rocks")) {
            factories.add(() -> new RawRocksTarget(true, true, ROCKS));
        }
        if (only.contains("sqlite")) {
            factories.add(() -> new SqliteTarget(p2 ? SQLITE + " (1 connection)" : SQLITE));
        }
        if (only.contains("ref")) {
            factories.add(() -> new OursTarget(Durability.NONE, OURS_NONE));
            if (!p2) {
                factories.add(() -> new RawRocksTarget(false, true, ROCKS_NOSYNC));
            }
            factories.add(() -> new RawRocksTarget(true, false, ROCKS_DEFAULT));
        }
        for (Supplier<Target> f : factories) {
            targets.add(f.get());
            Target.settle(targets.get(targets.size() - 1), settleOps);
        }
    }

    private static long p50(long[] samples) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double parityMedian(long[] samples, int parity) {
        long[] v = new long[samples.length / 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = samples[2 * i + parity];
        }
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static void closeAll(List<Target> targets) {
        for (Target t : targets) {
            try {
                t.close();
            } catch (RuntimeException e) {
                System.err.println("WARNING: closing " + t.label() + ": " + e);
            }
        }
    }
}
