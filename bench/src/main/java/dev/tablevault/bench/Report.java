package dev.tablevault.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Markdown tables and target verdicts shared by {@link SideBySide} and {@link JmhMain}. */
final class Report {
    static final double P1_TARGET = 1.5;
    static final double P2_TARGET = 5.0;

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
                + (ratio <= P1_TARGET ? "**met**" : "**missed**"));
        return ratio;
    }

    /**
     * P2 table: one row per system, one column per thread count, and the scaling of the highest thread count
     * over one thread; then the verdict for {@code ours}.
     *
     * @return ours' scaling (max threads / 1 thread), or NaN when not measured
     */
    double p2(List<Throughput> cells, String ours) {
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
        head.append(max).append(" / 1 |");
        rule.append("---:|");
        line(head.toString()).line(rule.toString());
        double oursScaling = Double.NaN;
        for (Map.Entry<String, Map<Integer, Double>> e : bySystem.entrySet()) {
            StringBuilder row = new StringBuilder("| " + e.getKey() + " | ");
            for (int t : threadCounts) {
                Double v = e.getValue().get(t);
                row.append(v == null ? "n/a" : fmt(v, 0)).append(" | ");
            }
            Double one = e.getValue().get(1);
            Double top = e.getValue().get(max);
            double scaling = one == null || top == null ? Double.NaN : top / one;
            row.append(Double.isNaN(scaling) ? "n/a" : fmt(scaling, 2) + "x").append(" |");
            line(row.toString());
            if (e.getKey().equals(ours)) {
                oursScaling = scaling;
            }
        }
        line("");
        if (Double.isNaN(oursScaling)) {
            line("P2: not measured (" + ours + " needs runs with 1 and 16 threads).");
        } else {
            String verdict = max < 16 ? "not judged (the target is defined at 16 threads)"
                    : oursScaling >= P2_TARGET ? "**met**" : "**missed**";
            line("P2 (target ≥ " + fmt(P2_TARGET, 0) + "x one thread's throughput at 16 threads): " + max
                    + " threads / 1 thread = **" + fmt(oursScaling, 2) + "x**, " + verdict);
        }
        return oursScaling;
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

    /** Per-round figures in the order they ran: {@code a / b / c}. */
    static String join(double[] values, int decimals) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            if (b.length() > 0) {
                b.append(" / ");
            }
            b.append(fmt(v, decimals));
        }
        return b.toString();
    }
}
