package dev.tablevault.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the execution benchmarks (DESIGN.md section 10), each side by side with its raw RocksDB baseline where
 * it has one: {@link P3IngestBench}, {@link P4ResumeBench}, {@link P5ScanBench}, {@link P7ReexecBench} and
 * {@link M1MemoryBench}, {@link PV2RefBench}, {@link PV3SlowCallBench}, then the live board's {@link P9BoardCostBench}, {@link P9bFreshnessBench} and
 * {@link P9cBoardPsBench}, in that order. Fixed row counts, Markdown on stdout for docs/BENCHMARKS.md, progress
 * on stderr. Every timed run starts after {@code System.gc()} and a short pause (outside its time), and after
 * each benchmark the report says how much CPU other processes on the machine used meanwhile
 * ({@link BackgroundLoad}). {@code --child ...} runs one of the benchmarks' child JVM programs ({@link ChildJvm}).
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.ExecBench \
 *     -Dbench.args="--only p3,p4,p5,p7,m1"
 * ./mvnw -B -pl tools,bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.ExecBench \
 *     -Dbench.args="--only p9,p9b,p9c"     # P9c runs tools/tv, so build tools too
 * </pre>
 *
 * Options (defaults in brackets): {@code --only p3,p4,p5,p7,m1,pv2,p9,p9b,p9c} [all]; {@code --p3-rows N} [1,000,000],
 * {@code --p3-rounds N} [3]; {@code --p4-done 10000,100000,1000000} (rows done before the kill; the table has
 * twice as many), {@code --p4-reps N} [3], {@code --p4-no-halt} (skip the child-JVM halt variant),
 * {@code --p4-split} (add a diagnostic variant: {@code open} without restart, timed, then {@code resumeProcess});
 * {@code --p5-rows N} [1,000,000], {@code --p5-rounds N} [5]; {@code --p7-rows N} [1,000,000], {@code --p7-rounds N} [3];
 * {@code --m1-rows 1000000,10000000}, {@code --m1-xmx 256m}, {@code --m1-index whole-column,generator}
 * (index modes to try) [both]; {@code --pv2-rows N} [1,000,000], {@code --pv2-rounds N} [5];
 * {@code --pv3-threads 1,8,32,128}, {@code --pv3-rows-per-thread N} [500], {@code --pv3-rounds N} [3],
 * {@code --pv3-checkpoint-rows N} [the default, 4,096];
 * {@code --warmup-rows N} [100,000]; {@code --p9-rows N} [1,000,000],
 * {@code --p9-rounds N} [5]; {@code --p9b-rows N} [6,000], {@code --p9b-checkpoint-rows N} [100],
 * {@code --p9b-rounds N} [3]; {@code --p9c-processes N} [1,000], {@code --p9c-runs N} [5], {@code --p9c-tv PATH}
 * (the script to time) [{@code tools/tv} of this checkout], {@code --p9c-hold} (wait for Enter before the runs,
 * to time {@code tv ps} by hand); {@code --backend rocks,pg} [rocks]: P3 and P4 also on a vault in a throw-away
 * PostgreSQL server (issue 15; {@link BenchBackend}), {@code --p4-lease-ms N} [2,000] the lease of P4's halted child
 * on PostgreSQL. Scratch directories go under
 * {@code -Dbench.dir} or {@code java.io.tmpdir} and are deleted at the end.
 */
public final class ExecBench {
    private static final List<String> SECTIONS = List.of("p3", "p4", "p5", "p7", "m1", "pv2", "pv3", "p9",
            "p9b", "p9c");
    private Set<String> only = new LinkedHashSet<>(SECTIONS);
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
    private int pv2Rows = 1_000_000;
    private int pv2Rounds = 5;
    private int[] pv3Threads = {1, 8, 32, 128};
    private int pv3RowsPerThread = 500;
    private int pv3Rounds = 3;
    private int pv3CheckpointRows;
    private int warmupRows = 100_000;
    private int p9Rows = 1_000_000;
    private int p9Rounds = 5;
    private int p9bRows = 6000;
    private int p9bCheckpointRows = 100;
    private int p9bRounds = 3;
    private int p9cProcesses = 1000;
    private int p9cRuns = 5;
    private Path p9cTv;
    private boolean p9cHold;
    private List<BenchBackend> backends = List.of(BenchBackend.ROCKS);
    private Duration p4Lease = Duration.ofSeconds(2);

    /** One benchmark, adding its tables to the report. */
    @FunctionalInterface
    private interface Section {
        void run(Report report) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            System.exit(ChildJvm.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        ExecBench b = new ExecBench();
        CliArgs.parseOrExit(() -> b.parse(args));
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
                case "--pv2-rows" -> pv2Rows = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--pv2-rounds" -> pv2Rounds = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--pv3-threads" -> pv3Threads = ints(a, CliArgs.value(args, ++i));
                case "--pv3-rows-per-thread" -> pv3RowsPerThread = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--pv3-rounds" -> pv3Rounds = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--pv3-checkpoint-rows" -> pv3CheckpointRows = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--warmup-rows" -> warmupRows = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p9-rows" -> p9Rows = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p9-rounds" -> p9Rounds = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p9b-rows" -> p9bRows = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p9b-checkpoint-rows" -> p9bCheckpointRows = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p9b-rounds" -> p9bRounds = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p9c-processes" -> p9cProcesses = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p9c-runs" -> p9cRuns = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--p9c-tv" -> p9cTv = Path.of(CliArgs.value(args, ++i));
                case "--p9c-hold" -> p9cHold = true;
                case "--backend" -> backends = BenchBackend.parse(a, CliArgs.value(args, ++i));
                case "--p4-lease-ms" -> p4Lease = Duration.ofMillis(CliArgs.positive(a, CliArgs.value(args, ++i)));
                default -> throw new IllegalArgumentException("unknown option " + a + " (known: --only --p3-rows"
                        + " --p3-rounds --p4-done --p4-no-halt --p4-reps --p4-split --p5-rows --p5-rounds --p7-rows"
                        + " --p7-rounds --m1-rows --m1-xmx --m1-index --pv2-rows --pv2-rounds --pv3-threads --pv3-rows-per-thread"
                        + " --pv3-rounds --pv3-checkpoint-rows --warmup-rows --p9-rows --p9-rounds --p9b-rows"
                        + " --p9b-checkpoint-rows --p9b-rounds --p9c-processes --p9c-runs --p9c-tv --p9c-hold --backend"
                        + " --p4-lease-ms)");
            }
        }
        for (String o : only) {
            if (!SECTIONS.contains(o)) {
                throw new IllegalArgumentException("--only takes " + String.join(",", SECTIONS) + ", got " + o);
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
        Report report = new Report().header("ExecBench results", true);
        report.line("- runs: " + String.join(",", only) + "; P3 " + p3Rows + " rows x " + p3Rounds + " rounds;"
                + " P4 rows done " + Arrays.toString(p4Done) + " x " + p4Reps + "; P5 " + p5Rows + " rows x " + p5Rounds
                + " rounds; P7 " + p7Rows + " rows x " + p7Rounds + " rounds; M1 " + Arrays.toString(m1Rows)
                + " rows with -Xmx" + m1Xmx + ", index " + m1Index + "; PV2 " + pv2Rows + " rows x " + pv2Rounds
                + " rounds; P9 " + p9Rows + " rows x " + p9Rounds
                + " rounds; P9b " + p9bRows + " rows x " + p9bRounds + " rounds; P9c " + p9cProcesses + " processes x "
                + p9cRuns + " runs; warm-up " + warmupRows + " rows");
        report.line("- every timed run (P3, P4, P5, P7, PV2, P9) starts after `System.gc()` and a 200 ms pause, outside its time");
        report.line("- backends: " + backends + " (P3, P4); load " + Report.loadAverage());
        report.line("").jvmFlagWarnings();
        if (backends.contains(BenchBackend.PG) && (only.contains("p3") || only.contains("p4"))) {
            BenchBackend.trackStatements();
        }
        long start = System.nanoTime();
        Map<String, Section> sections = new LinkedHashMap<>();
        sections.put("p3", new P3IngestBench(p3Rows, p3Rounds, warmupRows, backends)::run);
        sections.put("p4", new P4ResumeBench(p4Done, p4Reps, p4Halt, p4Split, backends, p4Lease)::run);
        sections.put("p5", new P5ScanBench(p5Rows, p5Rounds)::run);
        sections.put("p7", new P7ReexecBench(p7Rows, p7Rounds, warmupRows)::run);
        sections.put("m1", new M1MemoryBench(m1Rows, m1Xmx, m1Index)::run);
        sections.put("pv2", new PV2RefBench(pv2Rows, pv2Rounds, warmupRows)::run);
        sections.put("pv3", new PV3SlowCallBench(pv3Threads, pv3RowsPerThread, pv3Rounds, pv3CheckpointRows)::run);
        sections.put("p9", new P9BoardCostBench(p9Rows, p9Rounds, warmupRows)::run);
        sections.put("p9b", new P9bFreshnessBench(p9bRows, p9bCheckpointRows, p9bRounds)::run);
        sections.put("p9c", new P9cBoardPsBench(p9cProcesses, p9cRuns, p9cTv, p9cHold)::run);
        try (BackgroundLoad others = new BackgroundLoad()) {
            for (Map.Entry<String, Section> e : sections.entrySet()) {
                if (only.contains(e.getKey())) {
                    BackgroundLoad.Mark mark = others.mark();
                    e.getValue().run(report);
                    report.line("_Other processes during " + e.getKey().toUpperCase(Locale.ROOT) + ": "
                            + others.since(mark) + "._").line("");
                }
            }
        }
        System.out.print(report.total(start));
    }
}
