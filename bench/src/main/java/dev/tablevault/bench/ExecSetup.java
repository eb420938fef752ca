package dev.tablevault.bench;

import dev.tablevault.api.Builder;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Durability;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the execution benchmarks (P3 to P7, M1) build their vaults from: one table {@link #T}, an index from the
 * built-in {@code range} builder, row-wise column builders, and the pause before each timed run. Stateless.
 */
final class ExecSetup {
    static final String T = "bench";
    static final String INDEX = T + "_index";
    /** The engine's default checkpoint batch, in rows; also the raw baselines' batch size. */
    static final int BATCH_ROWS = 4096;

    /** The trivial row-wise builder of P3 and M1: the row number as a LONG. */
    static final RowBuilder ROW_NUMBER = (ctx, row) -> List.of(row);

    private ExecSetup() {
    }

    static Vault create(Path dir, Durability durability, Map<String, Builder> builders) {
        return TableVault.open(dir, options(durability, builders).create(true));
    }

    /** Creates a vault at {@code location} on {@code backend} ({@link BenchBackend#newLocation}), as this JVM's host. */
    static Vault create(BenchBackend backend, String location, Path scratch, Durability durability,
                        Map<String, Builder> builders) {
        return backend.open(location, scratch, options(durability, builders).create(true));
    }

    /** The benchmarks' vault options: author {@code bench}, {@code durability}, {@code builders} registered. */
    static VaultOptions options(Durability durability, Map<String, Builder> builders) {
        VaultOptions o = VaultOptions.defaults().author("bench").durability(durability);
        for (Map.Entry<String, Builder> e : builders.entrySet()) {
            o = o.builder(e.getKey(), e.getValue());
        }
        return o;
    }

    /** The index: {@code rows} LONG ids from {@code range}, in {@code mode} (null: the builder's default). */
    static BuilderSpec index(long rows, String mode) {
        return BuilderSpec.fromYaml("name: " + INDEX + "\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                + "types: {id: long}\narguments: {count: " + rows + "}\n" + (mode == null ? "" : "mode: " + mode + "\n"));
    }

    /** A row-wise column builder: {@code columns} maps names to types. */
    static BuilderSpec column(String name, String builder, Map<String, String> columns, String arguments) {
        StringBuilder types = new StringBuilder();
        for (Map.Entry<String, String> c : columns.entrySet()) {
            types.append(types.length() == 0 ? "" : ", ").append(c.getKey()).append(": ").append(c.getValue());
        }
        return BuilderSpec.fromYaml("name: " + name + "\ntype: column\nbuilder: " + builder + "\nmode: row-wise\n"
                + "changedColumns: [" + String.join(", ", columns.keySet()) + "]\ntypes: {" + types + "}\n"
                + "dependencies: [" + INDEX + "]\n" + (arguments == null ? "" : "arguments: " + arguments + "\n"));
    }

    /** Table, instance {@code version}, index of {@code rows} and one LONG column {@code n} from {@code builder}. */
    static void setupOneColumn(Vault v, String version, long rows, String indexMode, String builder) {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults().version(version));
        v.putBuilder(T, version, index(rows, indexMode), OpOptions.defaults());
        v.putBuilder(T, version, column("n", builder, Map.of("n", "long"), null), OpOptions.defaults());
    }

    static long materializedRows(Vault v, String version) {
        List<String> ids = v.instances(T, version, false);
        if (ids.isEmpty()) {
            throw new IllegalStateException("no materialized instance of " + version);
        }
        return v.description(T, ids.get(ids.size() - 1)).rows();
    }

    /**
     * Before each timed run: a full GC and a short pause, so a run does not pay for the garbage (or the GC's
     * concurrent work) of the run before it. Each run's own allocation and GC stay in its time.
     */
    static void quiesce() {
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Total collection time of this JVM's collectors so far. */
    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    /**
     * A listener that notes when each builder step ends; {@link #split} then gives the seconds of each step and
     * of what followed the last one (the commit), from {@link #start}.
     */
    static final class StepClock implements dev.tablevault.api.ExecutionListener {
        private final Map<String, Long> ends = new java.util.LinkedHashMap<>();
        private long start;

        void start() {
            ends.clear();
            start = System.nanoTime();
        }

        @Override
        public void progress(String builder, int step, int steps, long rowsDone, long rows) {
            if (rows >= 0 && rowsDone == rows) {
                ends.put(builder, System.nanoTime()); // a step's last call is its end
            }
        }

        /** Seconds per step, in order, then "commit" (the end of the last step to {@code endNanos}). */
        static String format(Map<String, Double> split) {
            StringBuilder b = new StringBuilder();
            split.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                    .append(Report.fmt(v, 3)).append(" s"));
            return b.toString();
        }

        Map<String, Double> split(long endNanos) {
            Map<String, Double> out = new java.util.LinkedHashMap<>();
            long at = start;
            for (Map.Entry<String, Long> e : ends.entrySet()) {
                out.put(e.getKey(), (e.getValue() - at) / 1e9);
                at = e.getValue();
            }
            out.put("commit", (endNanos - at) / 1e9);
            return out;
        }
    }

    /** A progress line on stderr (stdout carries the report). */
    static void progress(String s) {
        System.err.println("[ExecBench] " + s);
    }
}
