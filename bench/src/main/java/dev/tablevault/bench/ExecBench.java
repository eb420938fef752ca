package dev.tablevault.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.tablevault.api.BuildContext;
import dev.tablevault.api.Builder;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.NativeLibrary;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Execution benchmarks P3, P4, P5, P7 and M1 (DESIGN.md section 10): fixed row counts, TableVault and its raw
 * RocksDB baselines in one JVM (rounds interleaved where there are rounds), Markdown on stdout for
 * docs/BENCHMARKS.md, progress on stderr. Every timed run starts after {@code System.gc()} and a short pause
 * (outside its time), and the report says how much CPU other processes on the machine used meanwhile.
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.ExecBench \
 *     -Dbench.args="--only p3,p4,p5,p7,m1"
 * </pre>
 *
 * Options (defaults in brackets): {@code --only p3,p4,p5,p7,m1} [all]; {@code --p3-rows N} [1,000,000],
 * {@code --p3-rounds N} [3]; {@code --p4-done 10000,100000,1000000} (rows done before the kill; the table has
 * twice as many), {@code --p4-reps N} [3], {@code --p4-no-halt} (skip the child-JVM halt variant),
 * {@code --p4-split} (add a diagnostic variant: {@code open} without restart, timed, then {@code resumeProcess});
 * {@code --p5-rows N} [1,000,000], {@code --p5-rounds N} [5]; {@code --p7-rows N} [1,000,000], {@code --p7-rounds N} [3];
 * {@code --m1-rows 1000000,10000000}, {@code --m1-xmx 256m}, {@code --m1-index whole-column,generator}
 * (index modes to try) [both]; {@code --warmup-rows N} [100,000]. Scratch directories go under
 * {@code -Dbench.dir} or {@code java.io.tmpdir} and are deleted at the end.
 *
 * <ul>
 *   <li>P3: {@code executeInstance} of an index (built-in {@code range}, LONG {@code id}) and one row-wise
 *   column {@code n} (a registered builder returning the row number as a LONG), default checkpoints (4,096 rows
 *   or 1 s), SYNC; against raw RocksDB writing the same cells (id and n of every row, one key per cell, the
 *   engine's varint value encoding) in batches of 4,096 rows with {@code sync=true}, into a fresh database.</li>
 *   <li>P4: the column builder throws at row N (a user process id, so the process pauses), the vault is
 *   closed and opened again with {@code restart(true)}; the time from the start of {@code open} to the first
 *   call of the builder for a new row; recomputed committed rows counted per row. Also with the child JVM
 *   halted ({@code Runtime.halt}, as {@code kill -9}) at row N instead of a thrown failure.</li>
 *   <li>P5: cells/s of {@code dataframe} and of the {@code rows} cursor over 1M rows x 5 columns (3 LONG,
 *   2 STRING), with raw RocksDB iterating the same chunk keys (with and without the engine's chunk
 *   decoder) as references; the vault and the raw database are both opened read-only; measured with the data
 *   as the vault left it (memtables, replayed from the WAL) and after a raw flush into table files.</li>
 *   <li>P7: an instance with an index and 5 row-wise LONG columns executed in full, then a new instance from
 *   it as origin with one builder's argument changed, executed; time ratio and builder calls per column.</li>
 *   <li>M1: a child JVM with {@code -Xmx256m} executes an index (whole-column and generator mode) and one
 *   row-wise column of 1M and 10M rows; exit status, time, the largest heap after a GC and the sampled peak.</li>
 * </ul>
 */
public final class ExecBench {
    static final String T = "bench";
    static final String INDEX = T + "_index";
    static final double P3_TARGET = 0.5;
    static final double P5_TARGET = 5_000_000;
    /** P4 counts as flat when the slowest size's median is within this factor of the fastest's (noise). */
    static final double P4_FLAT = 1.5;
    static final int BATCH_ROWS = 4096;

    static final String OURS = "TableVault execute, SYNC";
    static final String RAW = "RocksDB per-cell puts, synced 4,096-row batches";
    static final String RAW_CHUNKS = "(ref) RocksDB engine-layout chunks, synced 4,096-row batches";
    static final String OURS_NONE = "(ref) TableVault execute, Durability.NONE";
    static final String RAW_NOSYNC = "(ref) RocksDB per-cell puts, sync=false";

    private Set<String> only = new LinkedHashSet<>(List.of("p3", "p4", "p5", "p7", "m1"));
    private int p3Rows = 1_000_000;
    private int p3Rounds = 3;
    private int[] p4Done = {10_000, 100_000, 1_000_000};
    private boolean p4Halt = true;
    private int p4Reps = 3;
    private boolean p4Split;
    private int p5Rows = 1_000_000;
    private int p5Rounds = 5;
    private int p7Rows = 1_000_000;
    private int p7Rounds = 3;
    private int[] m1Rows = {1_000_000, 10_000_000};
    private String m1Xmx = "256m";
    private List<String> m1Index = List.of("whole-column", "generator");
    private int warmupRows = 100_000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            System.exit(Child.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        ExecBench b = new ExecBench();
        try {
            b.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        b.run();
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--only" -> only = new LinkedHashSet<>(Arrays.asList(CliArgs.value(args, ++i).split(",")));
                case "--p3-rows" -> p3Rows = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p3-rounds" -> p3Rounds = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p4-done" -> p4Done = ints(a, CliArgs.value(args, ++i));
                case "--p4-no-halt" -> p4Halt = false;
                case "--p4-reps" -> p4Reps = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p4-split" -> p4Split = true;
                case "--p5-rows" -> p5Rows = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p5-rounds" -> p5Rounds = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p7-rows" -> p7Rows = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p7-rounds" -> p7Rounds = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--m1-rows" -> m1Rows = ints(a, CliArgs.value(args, ++i));
                case "--m1-xmx" -> m1Xmx = CliArgs.value(args, ++i);
                case "--m1-index" -> m1Index = Arrays.asList(CliArgs.value(args, ++i).split(","));
                case "--warmup-rows" -> warmupRows = CliArgs.positive(a, CliArgs.value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + a + " (known: --only --p3-rows"
                        + " --p3-rounds --p4-done --p4-no-halt --p4-reps --p4-split --p5-rows --p5-rounds --p7-rows --p7-rounds --m1-rows"
                        + " --m1-xmx --m1-index --warmup-rows)");
            }
        }
        for (String o : only) {
            if (!Set.of("p3", "p4", "p5", "p7", "m1").contains(o)) {
                throw new IllegalArgumentException("--only takes p3,p4,p5,p7,m1, got " + o);
            }
        }
        for (String m : m1Index) {
            if (!m.equals("generator") && !m.equals("whole-column")) {
                throw new IllegalArgumentException("--m1-index takes generator,whole-column, got " + m);
            }
        }
        for (int d : p4Done) {
            if ((long) d * 2 > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--p4-done values must be below 2^30");
            }
        }
    }

    private static int[] ints(String option, String v) {
        return Arrays.stream(v.split(",")).mapToInt(s -> CliArgs.positive(option, s.trim())).toArray();
    }

    private void run() throws Exception {
        JvmFlags.warnIfWrong();
        Report report = new Report();
        header(report);
        for (String problem : JvmFlags.check()) {
            report.line("> WARNING: " + problem).line("");
        }
        long start = System.nanoTime();
        try (BackgroundLoad others = new BackgroundLoad()) {
            Map<String, Section> sections = new LinkedHashMap<>();
            sections.put("p3", this::p3);
            sections.put("p4", this::p4);
            sections.put("p5", this::p5);
            sections.put("p7", this::p7);
            sections.put("m1", this::m1);
            for (Map.Entry<String, Section> e : sections.entrySet()) {
                if (only.contains(e.getKey())) {
                    BackgroundLoad.Mark mark = others.mark();
                    e.getValue().run(report);
                    report.line("_Other processes during " + e.getKey().toUpperCase(java.util.Locale.ROOT) + ": "
                            + others.since(mark) + "._").line("");
                }
            }
        }
        report.line("").line("Total harness time: " + Report.fmt((System.nanoTime() - start) / 1e9, 1) + " s.");
        System.out.print(report);
    }

    /** One benchmark section, adding its tables to the report. */
    @FunctionalInterface
    interface Section {
        void run(Report report) throws Exception;
    }

    /**
     * CPU time used by processes outside this benchmark (not this JVM, its ancestors or its descendants),
     * sampled every 500 ms from {@link ProcessHandle}: other builds on a shared machine skew every figure, so the
     * report says how much of the CPU they took. Processes that start and end between samples are missed.
     */
    static final class BackgroundLoad implements AutoCloseable {
        record Mark(long nanos, double cpuSeconds, Map<String, Double> byName) {
        }

        private final Map<Long, double[]> cpu = new ConcurrentHashMap<>(); // pid -> {first, last} seconds
        private final Map<Long, String> names = new ConcurrentHashMap<>();
        private final Instant started = Instant.now();
        private final Thread sampler;
        private volatile boolean stopped;

        BackgroundLoad() {
            sample();
            sampler = new Thread(() -> {
                while (!stopped) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                    sample();
                }
            }, "background-load");
            sampler.setDaemon(true);
            sampler.start();
        }

        private static boolean ours(ProcessHandle p) {
            ProcessHandle self = ProcessHandle.current();
            if (p.pid() == self.pid()) {
                return true;
            }
            for (ProcessHandle a = self.parent().orElse(null); a != null; a = a.parent().orElse(null)) {
                if (a.pid() == p.pid()) {
                    return true;
                }
            }
            for (ProcessHandle a = p.parent().orElse(null); a != null; a = a.parent().orElse(null)) {
                if (a.pid() == self.pid()) {
                    return true;
                }
            }
            return false;
        }

        private synchronized void sample() {
            ProcessHandle.allProcesses().forEach(p -> {
                ProcessHandle.Info info = p.info();
                if (info.totalCpuDuration().isEmpty() || ours(p)) {
                    return;
                }
                double now = info.totalCpuDuration().get().toNanos() / 1e9;
                boolean newer = info.startInstant().map(i -> i.isAfter(started)).orElse(false);
                cpu.computeIfAbsent(p.pid(), k -> new double[] {newer ? 0 : now, now})[1] = now;
                names.putIfAbsent(p.pid(), info.command().map(c -> Path.of(c).getFileName().toString())
                        .orElse("(no command line: kernel threads)"));
            });
        }

        synchronized Mark mark() {
            sample();
            Map<String, Double> by = new java.util.TreeMap<>();
            double total = 0;
            for (Map.Entry<Long, double[]> e : cpu.entrySet()) {
                double used = e.getValue()[1] - e.getValue()[0];
                total += used;
                by.merge(names.getOrDefault(e.getKey(), "(unknown)"), used, Double::sum);
            }
            return new Mark(System.nanoTime(), total, by);
        }

        /** "X CPU-s over Y s (Z% of the machine), mostly a, b" since {@code m}. */
        String since(Mark m) {
            Mark now = mark();
            double wall = (now.nanos() - m.nanos()) / 1e9;
            double used = now.cpuSeconds() - m.cpuSeconds();
            StringBuilder top = new StringBuilder();
            now.byName().entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - m.byName().getOrDefault(e.getKey(), 0.0)))
                    .filter(e -> e.getValue() >= 0.05)
                    .sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(3)
                    .forEach(e -> top.append(top.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                            .append(Report.fmt(e.getValue(), 1)).append(" s"));
            return Report.fmt(used, 1) + " CPU-s over " + Report.fmt(wall, 1) + " s of wall time ("
                    + Report.fmt(100 * used / (wall * Runtime.getRuntime().availableProcessors()), 0) + "% of the "
                    + Runtime.getRuntime().availableProcessors() + " CPUs)" + (top.length() == 0 ? "" : "; " + top);
        }

        @Override
        public void close() {
            stopped = true;
            sampler.interrupt();
        }
    }

    private void header(Report r) {
        r.line("## ExecBench results (" + Instant.now() + ")").line("");
        r.line("- machine: " + Runtime.getRuntime().availableProcessors() + " CPUs visible to the JVM, "
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
        r.line("- scratch directory: " + base + " on " + store);
        r.line("- JVM arguments: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
                + "; max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        r.line("- runs: " + String.join(",", only) + "; P3 " + p3Rows + " rows x " + p3Rounds + " rounds; P4 rows done "
                + Arrays.toString(p4Done) + " x " + p4Reps + "; P5 " + p5Rows + " rows x " + p5Rounds + " rounds; P7 " + p7Rows
                + " rows x " + p7Rounds + " rounds; M1 " + Arrays.toString(m1Rows) + " rows with -Xmx" + m1Xmx
                + ", index " + m1Index + "; warm-up " + warmupRows + " rows");
        r.line("- every timed run (P3, P4, P5, P7) starts after `System.gc()` and a 200 ms pause, outside its time");
        r.line("");
    }

    // ---- shared setup ---------------------------------------------------------------------------------------

    /** The trivial row-wise builder of P3 and M1: the row number as a LONG. */
    static final RowBuilder ROW_NUMBER = (ctx, row) -> List.of(row);

    static Vault create(Path dir, Durability durability, Map<String, Builder> builders) {
        VaultOptions o = VaultOptions.defaults().author("bench").create(true).durability(durability);
        for (Map.Entry<String, Builder> e : builders.entrySet()) {
            o = o.builder(e.getKey(), e.getValue());
        }
        return TableVault.open(dir, o);
    }

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

    private static void progress(String s) {
        System.err.println("[ExecBench] " + s);
    }

    // ---- P3 -------------------------------------------------------------------------------------------------

    private void p3(Report report) throws Exception {
        progress("P3 warm-up, " + warmupRows + " rows each");
        List<String> labels = List.of(OURS, RAW, RAW_CHUNKS, OURS_NONE, RAW_NOSYNC);
        for (String label : labels) {
            p3Once(label, warmupRows);
        }
        double[][] rates = new double[labels.size()][p3Rounds];
        for (int r = 0; r < p3Rounds; r++) {
            for (int k = 0; k < labels.size(); k++) {
                rates[k][r] = p3Once(labels.get(k), p3Rows);
                progress("P3 round " + (r + 1) + ", " + labels.get(k) + ": " + Report.fmt(rates[k][r], 0) + " rows/s");
            }
        }
        double raw = Report.median(rates[1]);
        report.line("### P3: execute " + p3Rows + " rows, trivial row-wise builder, default checkpoints").line("");
        report.line("Each row is 2 cells (the index's `id` and the builder's `n`, both LONG). Median of "
                + p3Rounds + " rounds; per-round figures in the order they ran.").line("");
        report.line("| P3 system | rows/s | s per run | rounds (rows/s) | vs " + RAW + " |");
        report.line("|---|---:|---:|---|---:|");
        for (int k = 0; k < labels.size(); k++) {
            double m = Report.median(rates[k]);
            report.line("| " + labels.get(k) + " | " + Report.fmt(m, 0) + " | " + Report.fmt(p3Rows / m, 2) + " | "
                    + Report.join(rates[k], 0) + " | " + Report.fmt(m / raw, 2) + "x |");
        }
        double ratio = Report.median(rates[0]) / raw;
        double vsChunks = Report.median(rates[0]) / Report.median(rates[2]);
        report.line("").line("P3 (target ≥ " + Report.fmt(P3_TARGET * 100, 0) + "% of raw RocksDB batch ingestion of the"
                + " same cells): " + Report.fmt(Report.median(rates[0]), 0) + " / " + Report.fmt(raw, 0) + " rows/s = **"
                + Report.fmt(ratio * 100, 1) + "%**, " + (ratio >= P3_TARGET ? "**met**" : "**missed**")
                + "; against raw RocksDB writing the engine's own 1,024-row chunks: " + Report.fmt(vsChunks * 100, 1) + "%.");
        report.line("");
    }

    /** One P3 run of {@code label} over {@code rows} rows in a fresh directory; rows per second. */
    private static double p3Once(String label, int rows) throws Exception {
        Path dir = BenchDirs.create("tv-bench-p3-");
        try {
            return switch (label) {
                case OURS -> oursExecute(dir, rows, Durability.SYNC);
                case OURS_NONE -> oursExecute(dir, rows, Durability.NONE);
                case RAW -> RawIngest.run(dir, rows, false, true);
                case RAW_CHUNKS -> RawIngest.run(dir, rows, true, true);
                case RAW_NOSYNC -> RawIngest.run(dir, rows, false, false);
                default -> throw new IllegalArgumentException(label);
            };
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    private static double oursExecute(Path dir, int rows, Durability durability) {
        try (Vault v = create(dir.resolve("vault"), durability, Map.of("rownum", ROW_NUMBER))) {
            setupOneColumn(v, "base", rows, null, "rownum");
            quiesce();
            long t0 = System.nanoTime();
            v.executeInstance(T, ExecuteOptions.defaults());
            long elapsed = System.nanoTime() - t0;
            long got = materializedRows(v, "base");
            if (got != rows) {
                throw new IllegalStateException("executed " + got + " rows, expected " + rows);
            }
            return rows / (elapsed / 1e9);
        }
    }

    /**
     * Raw RocksDB ingestion of the cells P3's execution writes: for every row its {@code id} and {@code n}
     * (both the row number), batches of {@link #BATCH_ROWS} rows, default RocksDB options like the engine's.
     * Per-cell: one key (instance 8 B, column 4 B, row 8 B, like the engine's cell keys) per cell, the value in
     * the engine's zig-zag varint encoding (1 to 3 bytes here). Chunks: the engine's layout and codec, one key
     * per 1,024 rows of a column.
     */
    static final class RawIngest {
        static {
            NativeLibrary.load();
        }

        static double run(Path dir, int rows, boolean chunks, boolean sync) throws RocksDBException {
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            List<ColumnFamilyDescriptor> descs;
            try (ColumnFamilyOptions cfo = new ColumnFamilyOptions();
                 DBOptions dbo = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
                 WriteOptions wo = new WriteOptions().setSync(sync)) {
                descs = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfo),
                        new ColumnFamilyDescriptor("data".getBytes(StandardCharsets.UTF_8), cfo));
                try (RocksDB db = RocksDB.open(dbo, dir.resolve("db").toString(), descs, handles)) {
                    try {
                        ColumnFamilyHandle data = handles.get(1);
                        quiesce();
                        long t0 = System.nanoTime();
                        if (chunks) {
                            chunked(db, wo, data, rows);
                        } else {
                            perCell(db, wo, data, rows);
                        }
                        long elapsed = System.nanoTime() - t0;
                        return rows / (elapsed / 1e9);
                    } finally {
                        for (ColumnFamilyHandle h : handles) {
                            h.close();
                        }
                    }
                }
            }
        }

        private static void perCell(RocksDB db, WriteOptions wo, ColumnFamilyHandle data, int rows)
                throws RocksDBException {
            byte[] buf = new byte[10];
            for (int from = 0; from < rows; from += BATCH_ROWS) {
                int to = Math.min(rows, from + BATCH_ROWS);
                try (WriteBatch b = new WriteBatch()) {
                    for (long r = from; r < to; r++) {
                        for (int c = 0; c < 2; c++) {
                            byte[] key = ByteBuffer.allocate(20).putLong(1).putInt(c).putLong(r).array();
                            int n = varLong(buf, r);
                            b.put(data, key, Arrays.copyOf(buf, n));
                        }
                    }
                    db.write(wo, b);
                }
            }
        }

        private static void chunked(RocksDB db, WriteOptions wo, ColumnFamilyHandle data, int rows)
                throws RocksDBException {
            for (int from = 0; from < rows; from += BATCH_ROWS) {
                int to = Math.min(rows, from + BATCH_ROWS);
                try (WriteBatch b = new WriteBatch()) {
                    for (int c = 0; c < 2; c++) {
                        for (int cf = from; cf < to; cf += Chunks.ROWS) {
                            int ce = Math.min(to, cf + Chunks.ROWS);
                            List<Object> values = new ArrayList<>(ce - cf);
                            for (long r = cf; r < ce; r++) {
                                values.add(r);
                            }
                            b.put(data, Keys.cell(1, c, cf / Chunks.ROWS), Chunks.encode(ColumnType.LONG, values, 0,
                                    values.size()));
                        }
                    }
                    db.write(wo, b);
                }
            }
        }

        /** Zig-zag varint, as the engine's chunk codec writes a LONG (Kryo {@code writeVarLong(v, false)}). */
        static int varLong(byte[] buf, long v) {
            long z = (v << 1) ^ (v >> 63);
            int i = 0;
            while ((z & ~0x7FL) != 0) {
                buf[i++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            buf[i++] = (byte) z;
            return i;
        }
    }

    // ---- P4 -------------------------------------------------------------------------------------------------

    /** The failure P4's builder throws: from outside the engine, so a process with a user id pauses. */
    static final class SimulatedKill extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedKill(long row) {
            super("simulated kill at row " + row);
        }
    }

    /** Counts calls per row, fails at {@code failAt}, and records the first call after {@link #resumeFrom}. */
    static final class ResumeProbe implements RowBuilder {
        final AtomicIntegerArray calls;
        volatile long failAt;
        volatile boolean resumed;
        volatile long firstNanos;
        volatile long firstRow = -1;

        ResumeProbe(int rows, long failAt) {
            this.calls = new AtomicIntegerArray(rows);
            this.failAt = failAt;
        }

        void resumeFrom() {
            failAt = -1;
            resumed = true;
        }

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            if (resumed && firstRow < 0) {
                firstNanos = System.nanoTime();
                firstRow = row;
            }
            calls.incrementAndGet((int) row);
            if (row == failAt) {
                throw new SimulatedKill(row);
            }
            return List.of(row);
        }
    }

    /**
     * One P4 measurement. {@code openMs}: {@code TableVault.open} alone (NaN when the open itself resumes);
     * {@code walBytes}: the RocksDB write-ahead log files on disk before the reopen.
     */
    record P4Result(String how, long done, long rows, long walBytes, double openMs, double firstRowMs,
                    double resumeReturnedMs, long resumedAt, long recomputed, String recomputedWhat,
                    double restRowsPerSec, double recoveryMs) {
        P4Result recovery(double ms) {
            return new P4Result(how, done, rows, walBytes, openMs, firstRowMs, resumeReturnedMs, resumedAt, recomputed,
                    recomputedWhat, restRowsPerSec, ms);
        }
    }

    private static final java.util.regex.Pattern RECOVERY_EVENT = java.util.regex.Pattern.compile(
            "\\{\"time_micros\": (\\d+).*\"event\": \"(recovery_started|recovery_finished)\"");

    /**
     * RocksDB's own account of the last open's WAL recovery (replaying the log into memtables and flushing them):
     * from {@code recovery_started} to {@code recovery_finished} in the database's info {@code LOG}, read after
     * the vault is closed. NaN when the LOG does not say.
     */
    static double recoveryMs(Path dbDir) {
        try {
            long start = -1;
            long end = -1;
            for (String line : Files.readAllLines(dbDir.resolve("LOG"), StandardCharsets.UTF_8)) {
                java.util.regex.Matcher m = RECOVERY_EVENT.matcher(line);
                if (m.find()) {
                    if (m.group(2).equals("recovery_started")) {
                        start = Long.parseLong(m.group(1));
                    } else {
                        end = Long.parseLong(m.group(1));
                    }
                }
            }
            return start >= 0 && end >= start ? (end - start) / 1e3 : Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static final String THROWN = "thrown (paused), same JVM; `open(restart(true))`";
    static final String HALTED = "halted child JVM (kill -9); `open(restart(true))`";
    static final String SPLIT = "(diagnostic) thrown; `open()`, then `resumeProcess`";

    private void p4(Report report) throws Exception {
        List<String> hows = new ArrayList<>(List.of(THROWN));
        if (p4Halt) {
            hows.add(HALTED);
        }
        if (p4Split) {
            hows.add(SPLIT);
        }
        progress("P4 warm-up, 5,000 rows done");
        for (String how : hows) {
            p4Once(how, 5_000);
        }
        // results[how][done index][rep]; every size and variant once, then again
        P4Result[][][] results = new P4Result[hows.size()][p4Done.length][p4Reps];
        for (int rep = 0; rep < p4Reps; rep++) {
            for (int d = 0; d < p4Done.length; d++) {
                for (int h = 0; h < hows.size(); h++) {
                    P4Result r = p4Once(hows.get(h), p4Done[d]);
                    progress("P4 rep " + (rep + 1) + ": " + r);
                    results[h][d][rep] = r;
                }
            }
        }
        report.line("### P4: resume after a kill at 50%").line("");
        report.line("Table of 2 x N rows (index + one row-wise LONG column, default checkpoints, SYNC); the column"
                + " builder is stopped at row N. Time from the start of `TableVault.open` to the builder's first"
                + " call for a new row; median of " + p4Reps + " repetitions, each from a fresh vault (all sizes and"
                + " variants once, then again), after a warm-up at N = 5,000. WAL: the size of RocksDB's"
                + " write-ahead log files in the vault before the reopen; WAL recovery: from `recovery_started` to"
                + " `recovery_finished` in RocksDB's own `LOG` for that open (replaying the WAL and flushing it to"
                + " a table file), part of the time to the first new row.").line("");
        report.line("| how the run stopped; how it resumed | rows done N | table rows | WAL (MiB) | open → first new"
                + " row, ms (median) | repetitions (ms) | of which RocksDB WAL recovery (ms) | `open` alone (ms) |"
                + " resume returned, rest done (ms) | resumed at row | recomputed rows (max) | rest rows/s |");
        report.line("|---|---:|---:|---:|---:|---|---:|---:|---:|---|---|---:|");
        List<String> lines = new ArrayList<>();
        for (int h = 0; h < hows.size(); h++) {
            double[] medians = new double[p4Done.length];
            long maxRecomputed = 0;
            for (int d = 0; d < p4Done.length; d++) {
                P4Result[] reps = results[h][d];
                double[] first = Arrays.stream(reps).mapToDouble(P4Result::firstRowMs).toArray();
                medians[d] = Report.median(first);
                long rec = Arrays.stream(reps).mapToLong(P4Result::recomputed).max().orElseThrow();
                maxRecomputed = Math.max(maxRecomputed, rec);
                P4Result worst = Arrays.stream(reps).filter(r -> r.recomputed() == rec).findFirst().orElseThrow();
                double open = Report.median(Arrays.stream(reps).mapToDouble(P4Result::openMs).toArray());
                report.line("| " + hows.get(h) + " | " + Report.fmt(p4Done[d], 0) + " | " + Report.fmt(2L * p4Done[d], 0)
                        + " | " + Report.fmt(Report.median(Arrays.stream(reps).mapToDouble(P4Result::walBytes).toArray())
                        / (1024 * 1024), 1) + " | " + Report.fmt(medians[d], 1) + " | " + Report.join(first, 1) + " | "
                        + Report.fmt(Report.median(Arrays.stream(reps).mapToDouble(P4Result::recoveryMs).toArray()), 1) + " | "
                        + (Double.isNaN(open) ? "(in the previous column)" : Report.fmt(open, 1)) + " | "
                        + Report.fmt(Report.median(Arrays.stream(reps).mapToDouble(P4Result::resumeReturnedMs).toArray()), 0)
                        + " | " + Arrays.stream(reps).map(r -> Report.fmt(r.resumedAt(), 0))
                        .reduce((x, y) -> x + " / " + y).orElse("") + " | " + worst.recomputedWhat() + " | "
                        + Report.fmt(Report.median(Arrays.stream(reps).mapToDouble(P4Result::restRowsPerSec).toArray()), 0)
                        + " |");
            }
            if (hows.get(h).equals(SPLIT)) {
                continue;
            }
            int last = p4Done.length - 1;
            double growth = Arrays.stream(medians).max().orElseThrow() / Arrays.stream(medians).min().orElseThrow();
            lines.add("P4, " + hows.get(h) + " (target: time to first new row independent of rows done; ≤ 1 batch"
                    + " recomputed): " + Report.fmt(medians[0], 1) + " ms at N = " + Report.fmt(p4Done[0], 0) + " → "
                    + Report.fmt(medians[last], 1) + " ms at N = " + Report.fmt(p4Done[last], 0) + ", largest / smallest"
                    + " median " + Report.fmt(growth, 2) + "x over " + Report.fmt((double) p4Done[last] / p4Done[0], 0)
                    + "x the rows done: time " + (growth <= P4_FLAT ? "**met**" : "**missed**") + " (flat = within "
                    + Report.fmt(P4_FLAT, 1) + "x); at most " + maxRecomputed + " rows recomputed"
                    + (maxRecomputed <= BATCH_ROWS ? " (≤ 1 batch of " + BATCH_ROWS + " rows): **met**"
                    : " (more than one batch): **missed**") + ".");
        }
        report.line("");
        for (String l : lines) {
            report.line(l).line("");
        }
    }

    private P4Result p4Once(String how, int done) throws Exception {
        return switch (how) {
            case THROWN -> p4Thrown(done, false);
            case SPLIT -> p4Thrown(done, true);
            case HALTED -> p4Halted(done);
            default -> throw new IllegalArgumentException(how);
        };
    }

    static long walBytes(Path dbDir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dbDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /**
     * The builder throws at row {@code done}; close; reopen with restart(true), or (split) open without restart
     * and call {@code resumeProcess}.
     */
    private P4Result p4Thrown(int done, boolean split) throws Exception {
        int rows = 2 * done;
        Path dir = BenchDirs.create("tv-bench-p4-");
        try {
            ResumeProbe probe = new ResumeProbe(rows, done);
            String pid = "p4-thrown-" + done;
            Path vaultDir = dir.resolve("vault");
            try (Vault v = create(vaultDir, Durability.SYNC, Map.of("probe", probe))) {
                setupOneColumn(v, "base", rows, null, "probe");
                try {
                    v.executeInstance(T, ExecuteOptions.defaults().processId(pid));
                    throw new IllegalStateException("the execution did not stop at row " + done);
                } catch (SimulatedKill expected) {
                    // the process is paused with its finished rows committed
                }
                ProcessState s = v.process(pid).state();
                if (s != ProcessState.PAUSED) {
                    throw new IllegalStateException("process " + pid + " is " + s + ", expected PAUSED");
                }
            }
            long wal = walBytes(vaultDir.resolve("db"));
            probe.resumeFrom();
            P4Result result;
            quiesce();
            long t0 = System.nanoTime();
            try (Vault v = TableVault.open(vaultDir, VaultOptions.defaults().author("bench").restart(!split)
                    .builder("probe", probe))) {
                long opened = System.nanoTime();
                long resumed = opened;
                if (split) {
                    v.resumeProcess(pid);
                    resumed = System.nanoTime();
                }
                checkResumed(v, pid, rows, probe);
                long recomputed = 0;
                int failedRowCalls = probe.calls.get(done);
                for (int r = 0; r < rows; r++) {
                    int c = probe.calls.get(r);
                    if (c != 1 && r != done) {
                        recomputed++;
                    }
                }
                if (failedRowCalls != 2) {
                    throw new IllegalStateException("row " + done + " (the failed one) was called " + failedRowCalls
                            + " times, expected 2");
                }
                result = new P4Result(split ? SPLIT : THROWN, done, rows, wal, split ? (opened - t0) / 1e6 : Double.NaN,
                        (probe.firstNanos - t0) / 1e6, (resumed - t0) / 1e6, probe.firstRow, recomputed, recomputed
                        + " (of rows < N; row N, which threw, ran again)",
                        (rows - probe.firstRow) / ((resumed - probe.firstNanos) / 1e9), Double.NaN);
            }
            return result.recovery(recoveryMs(vaultDir.resolve("db")));
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    /** A child JVM halts (as kill -9) while computing row {@code done}; this JVM reopens with restart(true). */
    private P4Result p4Halted(int done) throws Exception {
        int rows = 2 * done;
        Path dir = BenchDirs.create("tv-bench-p4h-");
        try {
            String pid = "p4-halted-" + done;
            Path vaultDir = dir.resolve("vault");
            ChildResult c = Child.start(List.of(), "p4-halt", vaultDir.toString(), Integer.toString(rows),
                    Integer.toString(done), pid);
            if (c.exit() != Child.HALT_STATUS) {
                throw new IllegalStateException("the P4 child exited with " + c.exit() + ", expected "
                        + Child.HALT_STATUS + " (halt at row " + done + ")");
            }
            long wal = walBytes(vaultDir.resolve("db"));
            ResumeProbe probe = new ResumeProbe(rows, -1);
            probe.resumeFrom();
            P4Result result;
            quiesce();
            long t0 = System.nanoTime();
            try (Vault v = TableVault.open(vaultDir, VaultOptions.defaults().author("bench")
                    .restart(true).builder("probe", probe))) {
                long opened = System.nanoTime();
                checkResumed(v, pid, rows, probe);
                for (int r = 0; r < rows; r++) {
                    int calls = probe.calls.get(r);
                    if ((r < probe.firstRow && calls != 0) || (r >= probe.firstRow && calls != 1)) {
                        throw new IllegalStateException("row " + r + " called " + calls + " times after the restart");
                    }
                }
                // The child computed rows 0..N-1 and halted inside row N: rows firstRow..N-1 ran twice.
                long recomputed = Math.max(0, done - probe.firstRow);
                result = new P4Result(HALTED, done, rows, wal, Double.NaN, (probe.firstNanos - t0) / 1e6,
                        (opened - t0) / 1e6, probe.firstRow, recomputed, recomputed + " (rows " + probe.firstRow
                        + ".." + (done - 1) + " finished, not yet checkpointed)",
                        (rows - probe.firstRow) / ((opened - probe.firstNanos) / 1e9), Double.NaN);
            }
            return result.recovery(recoveryMs(vaultDir.resolve("db")));
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    private static void checkResumed(Vault v, String pid, int rows, ResumeProbe probe) {
        List<String> failures = TableVault.restartFailures(v);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("restart failed: " + failures);
        }
        if (v.process(pid).state() != ProcessState.COMMITTED) {
            throw new IllegalStateException("process " + pid + " is " + v.process(pid).state() + " after restart");
        }
        if (probe.firstRow < 0) {
            throw new IllegalStateException("the builder was not called after the restart");
        }
        long got = materializedRows(v, "base");
        if (got != rows) {
            throw new IllegalStateException("instance has " + got + " rows, expected " + rows);
        }
    }

    // ---- P5 -------------------------------------------------------------------------------------------------

    static final List<ColumnType> P5_TYPES = List.of(ColumnType.LONG, ColumnType.LONG, ColumnType.LONG,
            ColumnType.STRING, ColumnType.STRING);

    /** P5's data: a = row, b = row * 31, s = "s" + row, t = "t" + row % 1000 (with the index's id: 5 columns). */
    static final RowBuilder FOUR_COLUMNS = (ctx, row) -> List.of(row, row * 31, "s" + row, "t" + row % 1000);

    private void p5(Report report) throws Exception {
        Path dir = BenchDirs.create("tv-bench-p5-");
        try {
            Path vaultDir = dir.resolve("vault");
            progress("P5 building " + p5Rows + " rows x 5 columns");
            long buildNanos;
            try (Vault v = create(vaultDir, Durability.SYNC, Map.of("four", FOUR_COLUMNS))) {
                v.createTable(T, TableOptions.defaults());
                v.createInstance(T, InstanceOptions.defaults());
                v.putBuilder(T, "base", index(p5Rows, null), OpOptions.defaults());
                Map<String, String> cols = new LinkedHashMap<>();
                cols.put("a", "long");
                cols.put("b", "long");
                cols.put("s", "string");
                cols.put("t", "string");
                v.putBuilder(T, "base", column("four", "four", cols, null), OpOptions.defaults());
                long t0 = System.nanoTime();
                v.executeInstance(T, ExecuteOptions.defaults());
                buildNanos = System.nanoTime() - t0;
            }
            long cells = 5L * p5Rows;
            report.line("### P5: scan an instance").line("");
            report.line(p5Rows + " rows x 5 columns (id, a, b: LONG; s, t: short STRING) = " + Report.fmt(cells, 0)
                    + " cells, built by one execute (" + Report.fmt(buildNanos / 1e9, 1) + " s). The vault and a raw"
                    + " RocksDB handle on its database are opened read-only side by side; one warm-up pass each, then "
                    + p5Rounds + " interleaved rounds, median reported. Two states of the same data: as the vault left"
                    + " it (never flushed: the read-only open replays the WAL into memtables), then after a raw RocksDB"
                    + " flush of every column family into table files (what a vault that has been written to for a"
                    + " while reads). GC time is the collectors' total during the timed scans.").line("");
            report.line("| P5 reader | data in | cells/s | ms per scan | rounds (cells/s) | GC time, all rounds (ms) |"
                    + " vs raw + decoder, same state |");
            report.line("|---|---|---:|---:|---|---:|---:|");
            List<String> verdicts = new ArrayList<>();
            p5Pass(vaultDir, cells, "memtable (WAL replayed)", report, verdicts);
            progress("P5 flushing the vault's column families");
            RawScan.flushAll(vaultDir.resolve("db"));
            p5Pass(vaultDir, cells, "table files (flushed)", report, verdicts);
            report.line("");
            for (String verdict : verdicts) {
                report.line(verdict).line("");
            }
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    private void p5Pass(Path vaultDir, long cells, String state, Report report, List<String> verdicts)
            throws Exception {
        List<String> labels = List.of("TableVault `dataframe` (whole instance into a Frame)",
                "TableVault `rows` cursor (row by row)", "(ref) raw RocksDB iterator, same chunks, bytes only",
                "(ref) raw RocksDB iterator + the engine's chunk decoder");
        double[][] rates = new double[labels.size()][p5Rounds];
        long[] gcMs = new long[labels.size()];
        try (Vault v = TableVault.open(vaultDir, VaultOptions.defaults().readOnly(true));
             RawScan raw = new RawScan(vaultDir.resolve("db"))) {
            // warm-up: one pass each
            scanFrame(v);
            scanCursor(v);
            raw.scan(false);
            raw.scan(true);
            for (int r = 0; r < p5Rounds; r++) {
                for (int k = 0; k < labels.size(); k++) {
                    quiesce();
                    long gc0 = gcMillis();
                    long t0 = System.nanoTime();
                    long got = switch (k) {
                        case 0 -> scanFrame(v);
                        case 1 -> scanCursor(v);
                        case 2 -> raw.scan(false);
                        default -> raw.scan(true);
                    };
                    rates[k][r] = cells / ((System.nanoTime() - t0) / 1e9);
                    gcMs[k] += gcMillis() - gc0;
                    if (k != 2) {
                        check(got, cells);
                    }
                }
                progress("P5 " + state + " round " + (r + 1) + ": " + Report.join(new double[] {rates[0][r], rates[1][r],
                        rates[2][r], rates[3][r]}, 0) + " cells/s");
            }
        }
        double decoded = Report.median(rates[3]);
        for (int k = 0; k < labels.size(); k++) {
            double m = Report.median(rates[k]);
            report.line("| " + labels.get(k) + " | " + state + " | " + Report.fmt(m, 0) + " | "
                    + Report.fmt(cells / m * 1e3, 0) + " | " + Report.join(rates[k], 0) + " | " + gcMs[k] + " | "
                    + Report.fmt(m / decoded, 2) + "x |");
        }
        for (int k = 0; k < 2; k++) {
            double m = Report.median(rates[k]);
            verdicts.add("P5 " + (k == 0 ? "dataframe" : "cursor") + ", " + state + " (target ≥ 5M cells/s): **"
                    + Report.fmt(m / 1e6, 2) + "M cells/s**, " + (m >= P5_TARGET ? "**met**" : "**missed**"));
        }
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

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    private static long scanFrame(Vault v) {
        Frame f = v.dataframe(T, ReadOptions.latest());
        Object last = f.get(f.rowCount() - 1, 4);
        if (last == null) {
            throw new IllegalStateException("last cell is null");
        }
        return (long) f.rowCount() * f.columnCount();
    }

    private static long scanCursor(Vault v) {
        long cells = 0;
        try (RowCursor c = v.rows(T, ReadOptions.latest())) {
            while (c.hasNext()) {
                cells += c.next().size();
            }
        }
        return cells;
    }

    private static void check(long got, long want) {
        if (got != want) {
            throw new IllegalStateException("scanned " + got + " cells, expected " + want);
        }
    }

    /** Raw read-only RocksDB over a closed vault's database, iterating its {@code data} family. */
    static final class RawScan implements AutoCloseable {
        private final ColumnFamilyOptions cfo = new ColumnFamilyOptions();
        private final DBOptions dbo = new DBOptions();
        private final List<ColumnFamilyHandle> handles = new ArrayList<>();
        private final RocksDB db;
        private final ColumnFamilyHandle data;

        RawScan(Path dbDir) throws RocksDBException {
            NativeLibrary.load();
            List<byte[]> names;
            try (Options o = new Options()) {
                names = RocksDB.listColumnFamilies(o, dbDir.toString());
            }
            List<ColumnFamilyDescriptor> descs = new ArrayList<>();
            int dataAt = -1;
            for (byte[] n : names) {
                if (new String(n, StandardCharsets.UTF_8).equals("data")) {
                    dataAt = descs.size();
                }
                descs.add(new ColumnFamilyDescriptor(n, cfo));
            }
            try {
                db = RocksDB.openReadOnly(dbo, dbDir.toString(), descs, handles);
            } catch (RocksDBException e) {
                close();
                throw e;
            }
            if (dataAt < 0) {
                close();
                throw new IllegalStateException("no data column family in " + dbDir);
            }
            data = handles.get(dataAt);
        }

        /** Opens the closed vault's database read-write and flushes every column family into table files. */
        static void flushAll(Path dbDir) throws RocksDBException {
            List<byte[]> names;
            try (Options o = new Options()) {
                names = RocksDB.listColumnFamilies(o, dbDir.toString());
            }
            List<ColumnFamilyHandle> hs = new ArrayList<>();
            try (ColumnFamilyOptions cfo = new ColumnFamilyOptions(); DBOptions dbo = new DBOptions();
                 org.rocksdb.FlushOptions fo = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
                List<ColumnFamilyDescriptor> descs = new ArrayList<>();
                for (byte[] n : names) {
                    descs.add(new ColumnFamilyDescriptor(n, cfo));
                }
                try (RocksDB db = RocksDB.open(dbo, dbDir.toString(), descs, hs)) {
                    try {
                        db.flush(fo, hs);
                    } finally {
                        for (ColumnFamilyHandle h : hs) {
                            h.close();
                        }
                    }
                }
            }
        }

        /** Every chunk of the data family; returns cells decoded (or 0 when only bytes are touched). */
        long scan(boolean decode) {
            long cells = 0;
            long bytes = 0;
            List<Object> values = new ArrayList<>(Chunks.ROWS);
            try (RocksIterator it = db.newIterator(data)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    byte[] v = it.value();
                    bytes += k.length + v.length;
                    if (decode) {
                        int column = ByteBuffer.wrap(k, 8, 4).getInt();
                        values.clear();
                        Chunks.decode(P5_TYPES.get(column), v, values);
                        cells += values.size();
                    }
                }
            }
            if (bytes == 0) {
                throw new IllegalStateException("empty data family");
            }
            return cells;
        }

        @Override
        public void close() {
            for (ColumnFamilyHandle h : handles) {
                h.close();
            }
            if (db != null) {
                db.close();
            }
            dbo.close();
            cfo.close();
        }
    }

    // ---- P7 -------------------------------------------------------------------------------------------------

    /** P7's builders: column c_i = row * k (argument k); counts calls per builder name. */
    static final class Multiply implements RowBuilder {
        final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            calls.computeIfAbsent(ctx.builderName(), n -> new LongAdder()).increment();
            long k = ((Number) ctx.arguments().get("k")).longValue();
            return List.of(row * k);
        }

        Map<String, Long> take() {
            Map<String, Long> out = new java.util.TreeMap<>();
            calls.forEach((n, a) -> out.put(n, a.sumThenReset()));
            return out;
        }
    }

    static BuilderSpec p7Column(int i, long k) {
        return column("c" + i, "multiply", Map.of("c" + i, "long"), "{k: " + k + "}");
    }

    private void p7(Report report) throws Exception {
        Path dir = BenchDirs.create("tv-bench-p7-");
        Multiply mul = new Multiply();
        List<double[]> rounds = new ArrayList<>();
        Map<String, Long> changedCalls = Map.of();
        Map<String, Long> fullCalls = Map.of();
        boolean changedValuesRight = false;
        try (Vault v = create(dir.resolve("vault"), Durability.SYNC, Map.of("multiply", mul))) {
            v.createTable(T, TableOptions.defaults());
            progress("P7 warm-up, " + warmupRows + " rows");
            p7Full(v, "warm", warmupRows);
            String warmId = v.instances(T, "warm", false).get(0);
            p7Changed(v, "warmchg", warmId);
            mul.take();
            for (int r = 0; r < p7Rounds; r++) {
                String full = "full" + r;
                double fullS = p7Full(v, full, p7Rows);
                fullCalls = mul.take();
                String id = v.instances(T, full, false).get(0);
                double changedS = p7Changed(v, "chg" + r, id);
                changedCalls = mul.take();
                double full2S = p7Full(v, "again" + r, p7Rows);
                mul.take();
                rounds.add(new double[] {fullS, changedS, full2S});
                progress("P7 round " + (r + 1) + ": full " + Report.fmt(fullS, 2) + " s, 1 changed " + Report.fmt(changedS, 2)
                        + " s, full again " + Report.fmt(full2S, 2) + " s; calls " + changedCalls);
                String chg = v.instances(T, "chg" + r, false).get(0);
                try (RowCursor c = v.rows(T, ReadOptions.id(chg))) {
                    changedValuesRight = true;
                    long row = 0;
                    List<String> names = c.columns().stream().map(dev.tablevault.api.Column::name).toList();
                    while (c.hasNext() && row < 5000) {
                        List<Object> vals = c.next();
                        for (int i = 1; i <= 5; i++) {
                            long want = row * (i == 3 ? 33 : i);
                            if (!Long.valueOf(want).equals(vals.get(names.indexOf("c" + i)))) {
                                changedValuesRight = false;
                            }
                        }
                        row++;
                    }
                }
                // drop this round's instances so the next round starts from the same vault size
                for (String version : List.of("again" + r, "chg" + r, full)) {
                    for (String i : v.instances(T, version, false)) {
                        v.deleteInstance(T, i, OpOptions.defaults());
                    }
                }
            }
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
        double[] full = new double[rounds.size() * 2];
        double[] changed = new double[rounds.size()];
        for (int r = 0; r < rounds.size(); r++) {
            full[2 * r] = rounds.get(r)[0];
            full[2 * r + 1] = rounds.get(r)[2];
            changed[r] = rounds.get(r)[1];
        }
        double f = Report.median(full);
        double c = Report.median(changed);
        report.line("### P7: re-execute with 1 of 5 columns changed").line("");
        report.line(p7Rows + " rows; index + 5 row-wise LONG columns c1..c5 (`multiply`, c_i = row x k_i), SYNC, default"
                + " checkpoints. Full: a fresh instance with all 6 builders, executed with `force(true)` (no origin). Changed: `createInstance(originId = the"
                + " full instance)` (builders copied from it), `putBuilder` of c3 with k 3 → 33, execute. Each round"
                + " runs full, changed, full again; the two full runs of a round are both in the median.").line("");
        report.line("| P7 run | s | rounds (s) | vs full |");
        report.line("|---|---:|---|---:|");
        report.line("| full execute (index + 5 columns) | " + Report.fmt(f, 2) + " | " + Report.join(full, 2) + " | 1.00x |");
        report.line("| re-execute, c3 changed, origin = full | " + Report.fmt(c, 2) + " | " + Report.join(changed, 2) + " | "
                + Report.fmt(c / f, 2) + "x |");
        report.line("| (ideal, proportional: 1 of 5 column steps, index and unchanged columns reused) | "
                + Report.fmt(f / 6, 2) + " to " + Report.fmt(f / 5, 2) + " | | 0.17x to 0.20x |");
        report.line("");
        report.line("Builder calls during the changed re-execution (last round): " + changedCalls + "; during the full"
                + " execution: " + fullCalls + ". Changed values checked on the first 5,000 rows: "
                + (changedValuesRight ? "right" : "WRONG") + ".");
        report.line("");
        boolean proportional = c / f <= 0.35;
        report.line("P7 (target: cost proportional to the changed column): changed-1 / full = **" + Report.fmt(c / f, 2)
                + "x**, " + (proportional ? "**met**" : "**missed**") + " (one of five columns is 0.20x of the column"
                + " work; with the index step rebuilt, 2 of 6 steps ≈ 0.33x).");
        report.line("");
    }

    private static double p7Full(Vault v, String version, int rows) {
        v.createInstance(T, InstanceOptions.defaults().version(version));
        v.putBuilder(T, version, index(rows, null), OpOptions.defaults());
        for (int i = 1; i <= 5; i++) {
            v.putBuilder(T, version, p7Column(i, i), OpOptions.defaults());
        }
        quiesce();
        long t0 = System.nanoTime();
        // Forced: otherwise the latest instance (of any version) would be its origin and lend its columns.
        v.executeInstance(T, ExecuteOptions.defaults().version(version).force(true));
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double p7Changed(Vault v, String version, String originId) {
        v.createInstance(T, InstanceOptions.defaults().version(version).originId(originId));
        List<String> copied = v.builders(T, version);
        if (copied.size() != 6) {
            throw new IllegalStateException("origin lent " + copied + ", expected the index and c1..c5");
        }
        v.putBuilder(T, version, p7Column(3, 33), OpOptions.defaults());
        quiesce();
        long t0 = System.nanoTime();
        v.executeInstance(T, ExecuteOptions.defaults().version(version));
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---- M1 -------------------------------------------------------------------------------------------------

    private void m1(Report report) throws Exception {
        report.line("### M1: execute with -Xmx" + m1Xmx).line("");
        report.line("A child JVM (`java <jvm.flags> -Xmx" + m1Xmx + " -cp <bench classpath> " + ExecBench.class.getName()
                + " --child m1 ROWS MODE`) executes an index (`range`, in MODE) and one row-wise LONG column (row"
                + " number), SYNC, default checkpoints. Heap after GC: the largest heap occupancy a GC left (all heap"
                + " pools, from GC notifications); sampled peak: the largest `MemoryMXBean` heap use seen every 10 ms."
                + " RocksDB's memory is native and not in these figures.").line("");
        report.line("| index mode | rows | exit | max heap (JVM) | time (s) | rows/s | max heap after GC (MiB) |"
                + " sampled peak heap (MiB) | GCs (time ms) |");
        report.line("|---|---:|---|---:|---:|---:|---:|---:|---|");
        List<String> verdicts = new ArrayList<>();
        for (String mode : m1Index) {
            for (int rows : m1Rows) {
                progress("M1 child JVM -Xmx" + m1Xmx + ", " + rows + " rows, index " + mode);
                ChildResult c = Child.start(List.of("-Xmx" + m1Xmx), "m1", Integer.toString(rows), mode);
                Map<String, String> m = c.values();
                boolean ok = c.exit() == 0 && String.valueOf(rows).equals(m.get("rows"));
                double secs = Double.parseDouble(m.getOrDefault("seconds", "NaN"));
                report.line("| " + mode + " | " + Report.fmt(rows, 0) + " | " + (ok ? "0, completed" : c.exit() + ", "
                        + m.getOrDefault("failed", "failed")) + " | " + mib(m.get("maxHeap")) + " MiB | "
                        + (ok ? Report.fmt(secs, 1) : "n/a") + " | " + (ok ? Report.fmt(rows / secs, 0) : "n/a") + " | "
                        + mib(m.get("maxAfterGc")) + " | " + mib(m.get("sampledPeak")) + " | " + m.getOrDefault("gcCount", "?")
                        + " (" + m.getOrDefault("gcMillis", "?") + ") |");
                if (rows == m1Rows[m1Rows.length - 1]) {
                    verdicts.add("index " + mode + ": " + (ok ? "completed in " + Report.fmt(secs, 1) + " s, **met**"
                            : "did not complete (" + m.getOrDefault("failed", "exit " + c.exit()) + "), **missed**"));
                }
            }
        }
        report.line("");
        report.line("M1 (target: " + Report.fmt(m1Rows[m1Rows.length - 1], 0) + " rows with -Xmx" + m1Xmx
                + " completes; heap bounded by the batch): " + String.join("; ", verdicts) + ".");
        report.line("");
    }

    private static String mib(String bytes) {
        if (bytes == null) {
            return "n/a";
        }
        return Report.fmt(Long.parseLong(bytes) / (1024.0 * 1024.0), 0);
    }

    record ChildResult(int exit, Map<String, String> values) {
    }

    /** Programs run in a child JVM: {@code --child p4-halt ...} and {@code --child m1 ...}. */
    static final class Child {
        static final int HALT_STATUS = 137;
        private static final String PREFIX = "EXECBENCH ";

        static ChildResult start(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(JvmFlags.ALL);
            cmd.addAll(jvmArgs);
            String benchDir = System.getProperty("bench.dir");
            if (benchDir != null && !benchDir.isBlank()) {
                cmd.add("-Dbench.dir=" + benchDir);
            }
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(ExecBench.class.getName());
            cmd.add("--child");
            cmd.addAll(Arrays.asList(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Map<String, String> values = new LinkedHashMap<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(PREFIX)) {
                        String[] kv = line.substring(PREFIX.length()).split("=", 2);
                        values.put(kv[0], kv.length > 1 ? kv[1] : "");
                    } else {
                        System.err.println("[child] " + line);
                    }
                }
            }
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("child " + Arrays.toString(args) + " did not end in 30 minutes");
            }
            return new ChildResult(p.exitValue(), values);
        }

        static void put(String key, Object value) {
            System.out.println(PREFIX + key + "=" + value);
            System.out.flush();
        }

        static int run(String[] args) throws Exception {
            return switch (args[0]) {
                case "p4-halt" -> p4Halt(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
                case "m1" -> m1(Integer.parseInt(args[1]), args[2]);
                default -> throw new IllegalArgumentException("unknown child program " + args[0]);
            };
        }

        /** Executes until row {@code haltAt}, then halts the JVM as kill -9 would. */
        private static int p4Halt(Path vaultDir, int rows, int haltAt, String pid) {
            RowBuilder halting = (ctx, row) -> {
                if (row == haltAt) {
                    Runtime.getRuntime().halt(HALT_STATUS);
                }
                return List.of(row);
            };
            try (Vault v = create(vaultDir, Durability.SYNC, Map.of("probe", halting))) {
                setupOneColumn(v, "base", rows, null, "probe");
                v.executeInstance(T, ExecuteOptions.defaults().processId(pid));
            }
            System.err.println("the P4 child finished without halting at row " + haltAt);
            return 1;
        }

        private static int m1(int rows, String indexMode) {
            put("maxHeap", Runtime.getRuntime().maxMemory());
            Path dir = BenchDirs.create("tv-bench-m1-");
            try (HeapWatch w = new HeapWatch()) {
                long nanos;
                try (Vault v = create(dir.resolve("vault"), Durability.SYNC, Map.of("rownum", ROW_NUMBER))) {
                    setupOneColumn(v, "base", rows, indexMode, "rownum");
                    long t0 = System.nanoTime();
                    v.executeInstance(T, ExecuteOptions.defaults());
                    nanos = System.nanoTime() - t0;
                    put("rows", materializedRows(v, "base"));
                }
                w.stop();
                put("seconds", nanos / 1e9);
                put("maxAfterGc", w.maxAfterGc);
                put("sampledPeak", w.sampledPeak);
                put("gcCount", w.gcCount());
                put("gcMillis", w.gcMillis());
                return 0;
            } catch (Throwable e) {
                put("failed", e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('|', '/'));
                e.printStackTrace();
                return 3;
            } finally {
                BenchDirs.deleteRecursively(dir);
            }
        }
    }

    /** Largest heap left after a GC (GC notifications) and largest heap use sampled every 10 ms. */
    static final class HeapWatch implements AutoCloseable {
        volatile long maxAfterGc;
        volatile long sampledPeak;
        private final Set<String> heapPools = new HashSet<>();
        private final List<NotificationEmitter> emitters = new ArrayList<>();
        private final NotificationListener listener = (n, h) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) {
                        used += e.getValue().getUsed();
                    }
                }
                synchronized (this) {
                    maxAfterGc = Math.max(maxAfterGc, used);
                }
            }
        };
        private final Thread sampler;
        private volatile boolean stopped;

        HeapWatch() {
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    heapPools.add(p.getName());
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter e) {
                    e.addNotificationListener(listener, null, null);
                    emitters.add(e);
                }
            }
            sampler = new Thread(() -> {
                while (!stopped) {
                    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    sampledPeak = Math.max(sampledPeak, used);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        long gcCount() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
        }

        long gcMillis() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void close() {
            stopped = true;
            for (NotificationEmitter e : emitters) {
                try {
                    e.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // already gone
                }
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

}
