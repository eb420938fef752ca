package dev.tablevault.engine.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One fuzz run's settings and tally. System properties: the run's count property ({@code fuzz.inputs} for the
 * API, {@code fuzz.cli.inputs} for the CLI; the default is the share {@code ./mvnw verify} runs),
 * {@code fuzz.seed} (default fixed, so the default run is the same every time) and {@code fuzz.only} (run just
 * that input, to reproduce a failure). Input {@code i} draws from its own
 * {@link Random}, so it is reproducible alone. Not thread safe.
 */
public final class FuzzRun {
    private final String name;
    private final long seed;
    private final int inputs;
    private final int only;
    /** How an input ended: every call accepted, one rejected (with a typed error, changing nothing), or a failure. */
    public enum Outcome { ACCEPTED, REJECTED, FAILED }

    /** Per category: inputs, rejected, accepted, failures, executed, slowest millis, slowest input, total millis. */
    private final Map<String, long[]> counts = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private final java.util.Set<Integer> failed = new java.util.HashSet<>();
    /** Known problems fixed elsewhere, excluded from the failures, with the inputs that met them. */
    private final Map<String, List<Integer>> known = new TreeMap<>();

    private FuzzRun(String name, long seed, int inputs, int only) {
        this.name = name;
        this.seed = seed;
        this.inputs = inputs;
        this.only = only;
    }

    /** Settings from the system properties; the number of inputs is {@code property}'s, by default {@code share}. */
    public static FuzzRun fromProperties(String name, String property, int share) {
        return new FuzzRun(name, Long.getLong("fuzz.seed", 20_261_129L), Integer.getInteger(property, share),
                Integer.getInteger("fuzz.only", -1));
    }

    public int inputs() {
        return inputs;
    }

    public long seed() {
        return seed;
    }

    /** True when input {@code i} is to run ({@code fuzz.only} unset, or {@code i}). */
    public boolean selected(int i) {
        return only < 0 || only == i;
    }

    /** The generator of input {@code i}. */
    public Random random(int i) {
        return new Random(seed * 0x9E3779B97F4A7C15L + i);
    }

    private long[] of(String category) {
        return counts.computeIfAbsent(category, k -> new long[8]);
    }

    /**
     * Counts input {@code i} of {@code category}, which ended as {@code outcome} after {@code millis} (or as a
     * failure, if one was recorded for it).
     */
    public void input(String category, int i, Outcome outcome, long millis) {
        long[] c = of(category);
        c[0]++;
        switch (failed.contains(i) ? Outcome.FAILED : outcome) {
            case REJECTED -> c[1]++;
            case ACCEPTED -> c[2]++;
            default -> c[3]++;
        }
        c[7] += millis;
        if (millis > c[5]) {
            c[5] = millis;
            c[6] = i;
        }
    }

    /** Counts an accepted input that was also executed. */
    public void executed(String category) {
        of(category)[4]++;
    }

    /** Records a failure of input {@code i}: what went wrong and the input, shortened. */
    public void fail(String category, int i, String input, String what) {
        failed.add(i);
        failures.add(category + " input " + i + " (-Dfuzz.seed=" + seed + " -Dfuzz.only=" + i + "): " + what
                + "\n    input: " + show(input));
    }

    /** Records that input {@code i} met {@code problem}, a known one fixed elsewhere (not a failure here). */
    public void known(String problem, int i) {
        known.computeIfAbsent(problem, k -> new ArrayList<>()).add(i);
    }

    public List<String> failures() {
        return failures;
    }

    /** A table of the counts per category, for the test log. */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format("%s fuzz, seed %d:%n%-28s %7s %8s %8s %8s %8s %7s %9s %s%n",
                name, seed, "category", "inputs", "rejected", "accepted", "executed", "failed", "mean", "slowest",
                "(input)"));
        long[] total = new long[8];
        counts.forEach((k, c) -> {
            sb.append(row(k, c));
            for (int j = 0; j < 5; j++) {
                total[j] += c[j];
            }
            total[7] += c[7];
            if (c[5] >= total[5]) {
                total[5] = c[5];
                total[6] = c[6];
            }
        });
        sb.append(row("total", total));
        known.forEach((k, inputs) -> sb.append("known: ").append(k).append(", inputs ").append(inputs).append('\n'));
        return sb.toString();
    }

    private String row(String category, long[] c) {
        return String.format("%-28s %7d %8d %8d %8d %8d %5dms %7dms (%d)%n", category, c[0], c[1], c[2], c[4], c[3],
                c[7] / Math.max(1, c[0]), c[5], c[6]);
    }

    /** {@code s} printable: controls and non-ASCII escaped, cut to 300 characters. */
    public static String show(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 300; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb + (sb.length() >= 300 ? "... (" + s.length() + " chars)" : "");
    }
}
