package dev.tablevault.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleToIntFunction;
import java.util.function.ToDoubleFunction;

/**
 * The benchmarks' Markdown report, built up line by line and printed once at the end, and every bit of shared
 * reporting: the run's header, number formats, medians, per-round lists, table rows, the P1/P2 tables and the
 * met/missed verdicts.
 */
final class Report {
    static final double P1_TARGET = 1.5;
    /** P2: the engine's throughput at 16 threads over raw synced batches' (same WAL options, same run). */
    static final double P2_TARGET = 0.9;
    /** P2's CPU target: the engine's CPU per operation with {@code Durability.NONE} over a raw unsynced batch's. */
    static final double P2_CPU_TARGET = 2.5;

    /** A P1 row: mean microseconds per operation, plus free-form detail (spread, percentiles). */
    record Latency(String label, double microsPerOp, String detail) {
    }

    /** A P2 cell: operations per second of {@code label} with {@code threads} threads. */
    record Throughput(String label, int threads, double opsPerSec) {
    }

    private final StringBuilder out = new StringBuilder();

    Report line(String s) {
        out.append(s).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * The lines a harness report opens with: {@code title} and the time, the machine, the scratch directory and
     * this JVM's arguments (with its maximum heap when {@code maxHeap}). The harness adds its own lines after.
     */
    Report header(String title, boolean maxHeap) {
        line("## " + title + " (" + Instant.now() + ")").line("");
        line("- machine: " + Runtime.getRuntime().availableProcessors() + " CPUs visible to the JVM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
        String store;
        try {
            store = Files.getFileStore(base).type() + " (" + Files.getFileStore(base).name() + ")";
        } catch (IOException e) {
            store = "unknown";
        }
        line("- scratch directory: " + base + " on " + store);
        return line("- JVM arguments: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
                + (maxHeap ? "; max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB" : ""));
    }

    /** {@code /proc/loadavg} as it is (1, 5 and 15-minute load averages, tasks, last pid), or "unknown". */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A warning line for each of {@link JvmFlags#check()}'s problems, so a report run without them says so. */
    Report jvmFlagWarnings() {
        for (String problem : JvmFlags.check()) {
            line("> WARNING: " + problem).line("");
        }
        return this;
    }

    /** The closing line: wall time since {@code startNanos}. */
    Report total(long startNanos) {
        return line("").line("Total harness time: " + fmt((System.nanoTime() - startNanos) / 1e9, 1) + " s.");
    }

    /** One Markdown table row. */
    Report row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object c : cells) {
            b.append(' ').append(c).append(" |");
        }
        return line(b.toString());
    }

    /** The verdict on a target, in bold. */
    static String verdict(boolean met) {
        return met ? "**met**" : "**missed**";
    }

    /**
     * P1 table: each row with its ratio to {@code baseline}; then the verdict for {@code ours}.
     *
     * @return ours / baseline, or NaN when either is missing
     */
    double p1(List<Latency> rows, String ours, String baseline, String detailHeader) {
        Latency base = find(rows, baseline);
        line("| P1 system (1 thread) | µs per op | " + detailHeader + " | vs " + baseline + " |");
        line("|---|---:|---|---:|");
        for (Latency r : rows) {
            String ratio = base == null ? "n/a" : fmt(r.microsPerOp() / base.microsPerOp(), 2) + "x";
            line("| " + r.label() + " | " + fmt(r.microsPerOp(), 1) + " | " + r.detail() + " | " + ratio + " |");
        }
        Latency o = find(rows, ours);
        if (o == null || base == null) {
            line("").line("P1: not measured (" + ours + " or " + baseline + " missing).");
            return Double.NaN;
        }
        double ratio = o.microsPerOp() / base.microsPerOp();
        line("").line("P1 (target ≤ " + fmt(P1_TARGET, 1) + "x one synced RocksDB batch): " + fmt(o.microsPerOp(), 1)
                + " µs / " + fmt(base.microsPerOp(), 1) + " µs = **" + fmt(ratio, 2) + "x**, "
                + verdict(ratio <= P1_TARGET));
        return ratio;
    }

    /**
     * P2 table: one row per system, one column per thread count, and the scaling of the highest thread count
     * over one thread (for information); then the verdict: {@code ours} over {@code baseline} at 16 threads.
     *
     * @return ours / baseline at 16 threads, or NaN when not measured
     */
    double p2(List<Throughput> cells, String ours, String baseline) {
        Map<String, Map<Integer, Double>> bySystem = new LinkedHashMap<>();
        List<Integer> threadCounts = new ArrayList<>();
        for (Throughput c : cells) {
            bySystem.computeIfAbsent(c.label(), k -> new LinkedHashMap<>()).put(c.threads(), c.opsPerSec());
            if (!threadCounts.contains(c.threads())) {
                threadCounts.add(c.threads());
            }
        }
        threadCounts.sort(null);
        int max = threadCounts.isEmpty() ? 0 : threadCounts.get(threadCounts.size() - 1);
        StringBuilder head = new StringBuilder("| P2 system | ");
        StringBuilder rule = new StringBuilder("|---|");
        for (int t : threadCounts) {
            head.append(t).append(t == 1 ? " thread" : " threads").append(" (ops/s) | ");
            rule.append("---:|");
        }
        head.append(max).append(" / 1 | ").append(max).append(" threads vs ").append(baseline).append(" |");
        rule.append("---:|---:|");
        line(head.toString()).line(rule.toString());
        Map<Integer, Double> base = bySystem.get(baseline);
        for (Map.Entry<String, Map<Integer, Double>> e : bySystem.entrySet()) {
            StringBuilder row = new StringBuilder("| " + e.getKey() + " | ");
            for (int t : threadCounts) {
                Double v = e.getValue().get(t);
                row.append(v == null ? "n/a" : fmt(v, 0)).append(" | ");
            }
            Double one = e.getValue().get(1);
            Double top = e.getValue().get(max);
            double scaling = one == null || top == null ? Double.NaN : top / one;
            row.append(Double.isNaN(scaling) ? "n/a" : fmt(scaling, 2) + "x").append(" | ");
            Double baseTop = base == null ? null : base.get(max);
            row.append(top == null || baseTop == null ? "n/a" : fmt(top / baseTop, 2) + "x").append(" |");
            line(row.toString());
        }
        line("");
        Double oursTop = bySystem.getOrDefault(ours, Map.of()).get(16);
        Double baseTop = base == null ? null : base.get(16);
        if (oursTop == null || baseTop == null) {
            line("P2: not judged (" + ours + " and " + baseline + " need runs with 16 threads).");
            return Double.NaN;
        }
        double ratio = oursTop / baseTop;
        line("P2 (target ≥ " + fmt(P2_TARGET, 1) + "x raw synced batches' throughput at 16 threads, same WAL options):"
                + " " + fmt(oursTop, 0) + " / " + fmt(baseTop, 0) + " ops/s = **" + fmt(ratio, 2) + "x**, "
                + verdict(ratio >= P2_TARGET));
        return ratio;
    }

    private static Latency find(List<Latency> rows, String label) {
        for (Latency r : rows) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        return null;
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /** The median of {@code f} over {@code items}. */
    static <T> double median(T[] items, ToDoubleFunction<T> f) {
        return median(Arrays.stream(items).mapToDouble(f).toArray());
    }

    /** Per-round figures in the order they ran: {@code a / b / c}. */
    static String join(double[] values, int decimals) {
        return join(values, v -> decimals);
    }

    /** Per-round means: no decimals from 1,000 up, one below. */
    static String joinMeans(double[] values) {
        return join(values, v -> v >= 1000 ? 0 : 1);
    }

    private static String join(double[] values, DoubleToIntFunction decimals) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            if (b.length() > 0) {
                b.append(" / ");
            }
            b.append(fmt(v, decimals.applyAsInt(v)));
        }
        return b.toString();
    }
}
