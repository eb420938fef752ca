package dev.tablevault.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * P2's CPU target: CPU per operation of TableVault with {@code Durability.NONE} against a raw unsynced RocksDB
 * batch of comparable size (same WAL options), one thread, rounds interleaved. Two clocks per round:
 * <ul>
 * <li><b>process CPU</b>: the whole JVM's CPU time
 * ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}) from the round's start until the process
 * is idle again, so the flushes and compactions a round triggers, the engine's own threads, GC and JIT are
 * charged to the system that caused them; the idle wait ends once a {@value #IDLE_WINDOW_MS} ms window used less
 * than {@value #IDLE_PERCENT}% of one CPU (at most {@value #IDLE_MAX_MS} ms);</li>
 * <li><b>without the JIT compiler</b> (the target's measure): process CPU less the CPU of the JIT compiler's threads
 * ({@link ThreadTicks}, Linux; elsewhere the same as process CPU): compiling is a warm-up cost, yet it goes on for
 * the engine's larger code through the rounds, where the raw batch's few methods are compiled long before;</li>
 * <li><b>thread CPU</b>: the benchmark thread's own CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime}), the
 * engine's work on the caller's thread alone.</li>
 * </ul>
 * Each system first runs a round's worth of operations unmeasured, so the JIT compiler's work is mostly done.
 * Wall time per operation is shown for reference. Both clocks are this JVM's, so other processes on the machine
 * do not add to them (they slow them down only through shared caches and frequency).
 */
final class P2CpuCost {
    static final int IDLE_WINDOW_MS = 50;
    static final int IDLE_PERCENT = 3;
    static final int IDLE_MAX_MS = 5_000;

    /**
     * One system's figures over the rounds: per-operation microseconds by clock, and the process CPU by thread
     * group (Linux only, else empty), in clock ticks summed over the rounds.
     */
    record Row(String label, double[] processCpu, double[] steadyCpu, double[] threadCpu, double[] wall,
               Map<String, Long> byThread) {
    }

    /** The thread group of the JIT compiler's threads ({@code C1/C2 CompilerThread<n>}, digits dropped). */
    static final String JIT = "C CompilerThre";

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private P2CpuCost() {
    }

    /** Runs {@code rounds} interleaved rounds of {@code ops} single-thread operations on each target. */
    static List<Row> measure(List<Target> targets, int ops, int rounds) {
        List<Row> rows = new ArrayList<>();
        for (Target t : targets) {
            rows.add(new Row(t.label(), new double[rounds], new double[rounds], new double[rounds], new double[rounds],
                    new TreeMap<>()));
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < targets.size(); k++) {
                awaitIdle();
                Target t = targets.get(k);
                Map<String, Long> ticks0 = ThreadTicks.read();
                long cpu0 = OS.getProcessCpuTime();
                long thread0 = THREADS.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < ops; i++) {
                    t.op(0);
                }
                long wall = System.nanoTime() - wall0;
                long thread = THREADS.getCurrentThreadCpuTime() - thread0;
                awaitIdle();
                long cpu = OS.getProcessCpuTime() - cpu0;
                Row row = rows.get(k);
                Map<String, Long> ticks = ThreadTicks.read();
                ticks.forEach((g, n) -> row.byThread().merge(g, n - ticks0.getOrDefault(g, 0L), Long::sum));
                long jit = (ticks.getOrDefault(JIT, 0L) - ticks0.getOrDefault(JIT, 0L)) * (1_000_000_000L / ThreadTicks.HZ);
                row.processCpu()[r] = cpu / 1e3 / ops;
                row.steadyCpu()[r] = (cpu - jit) / 1e3 / ops;
                row.threadCpu()[r] = thread / 1e3 / ops;
                row.wall()[r] = wall / 1e3 / ops;
            }
        }
        return rows;
    }

    /** Waits until a window used less than {@link #IDLE_PERCENT}% of one CPU (background work done). */
    private static void awaitIdle() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_MAX_MS);
        long window = TimeUnit.MILLISECONDS.toNanos(IDLE_WINDOW_MS);
        while (System.nanoTime() < deadline) {
            long cpu0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            LockSupport.parkNanos(window);
            long used = OS.getProcessCpuTime() - cpu0;
            if (used * 100 < (System.nanoTime() - t0) * IDLE_PERCENT) {
                return;
            }
        }
    }

    /** The table and the verdict: {@code ours} over {@code baseline} in process CPU per operation. */
    static void report(Report report, List<Row> rows, String ours, String baseline, int ops) {
        report.line("### P2 CPU: CPU per operation, Durability.NONE against a raw unsynced batch, 1 thread").line("");
        report.line("Process CPU: the JVM's CPU from a round's start until it is idle again (background flushes and"
                + " compactions included); thread CPU: the benchmark thread's. " + ops + " operations per round,"
                + " medians of the rounds.").line("");
        Row base = find(rows, baseline);
        report.line("| system | process CPU µs/op | without the JIT compiler µs/op | thread CPU µs/op | wall µs/op |"
                + " process CPU rounds | vs " + baseline + " (process / without JIT / thread CPU) |");
        report.line("|---|---:|---:|---:|---:|---|---:|");
        for (Row r : rows) {
            String ratio = base == null ? "n/a"
                    : Report.fmt(Report.median(r.processCpu()) / Report.median(base.processCpu()), 2) + "x / "
                    + Report.fmt(Report.median(r.steadyCpu()) / Report.median(base.steadyCpu()), 2) + "x / "
                    + Report.fmt(Report.median(r.threadCpu()) / Report.median(base.threadCpu()), 2) + "x";
            report.row(r.label(), Report.fmt(Report.median(r.processCpu()), 1),
                    Report.fmt(Report.median(r.steadyCpu()), 1), Report.fmt(Report.median(r.threadCpu()), 1),
                    Report.fmt(Report.median(r.wall()), 1), Report.join(r.processCpu(), 1), ratio);
        }
        report.line("").line("Process CPU by thread group (from /proc/self/task; µs per operation, all rounds; groups"
                + " under 2% left out):").line("");
        for (Row r : rows) {
            long total = r.byThread().values().stream().mapToLong(Long::longValue).sum();
            if (total == 0) {
                continue;
            }
            double usPerTick = 1e6 / ThreadTicks.HZ / ((double) ops * r.processCpu().length);
            StringBuilder b = new StringBuilder("- " + r.label() + ": ");
            r.byThread().entrySet().stream().filter(e -> e.getValue() * 50 >= total)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> b.append(e.getKey()).append(' ').append(Report.fmt(e.getValue() * usPerTick, 1))
                            .append(", "));
            report.line(b.substring(0, b.length() - 2));
        }
        Row o = find(rows, ours);
        report.line("");
        if (o == null || base == null) {
            report.line("P2 CPU: not measured (" + ours + " or " + baseline + " missing).");
            return;
        }
        double ratio = Report.median(o.steadyCpu()) / Report.median(base.steadyCpu());
        report.line("P2 CPU (target ≤ " + Report.fmt(Report.P2_CPU_TARGET, 1) + "x the raw unsynced batch's process"
                + " CPU per operation, the JIT compiler's threads left out): " + Report.fmt(Report.median(o.steadyCpu()), 1)
                + " / " + Report.fmt(Report.median(base.steadyCpu()), 1) + " µs = **" + Report.fmt(ratio, 2) + "x**, "
                + Report.verdict(ratio <= Report.P2_CPU_TARGET) + " (with the JIT: "
                + Report.fmt(Report.median(o.processCpu()) / Report.median(base.processCpu()), 2) + "x; thread CPU: "
                + Report.fmt(Report.median(o.threadCpu()) / Report.median(base.threadCpu()), 2) + "x)");
    }

    private static Row find(List<Row> rows, String label) {
        return rows.stream().filter(r -> r.label().equals(label)).findFirst().orElse(null);
    }
}
