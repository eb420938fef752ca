package dev.tablevault.bench;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * P6 (DESIGN.md section 10): opening a vault with {@code restart(true)} over N paused processes, target ≤ 1 s
 * for N = 1,000. Each process is an execution of its own version (an index of {@code --rows} rows and one
 * row-wise column) started with a caller-supplied id, whose builder threw at row 0, so it paused holding its
 * locks. Three opens of the same vault shape are timed, each on a fresh copy built the same way:
 * <ul>
 * <li>{@code restart(false)}: adopting N paused processes and their locks;</li>
 * <li>{@code restart(true)}, the builder still failing: every process is resumed, fails again and stays
 * paused;</li>
 * <li>{@code restart(true)}, the builder fixed: every process resumes and commits.</li>
 * </ul>
 * The time is from the call to {@code TableVault.open} to its return (restart runs inside it); the vault is
 * then checked and closed outside the time. Median of {@code --rounds}. {@code --backend rocks,pg} [rocks] runs
 * every mode on each backend, a round of each in turn ({@link BenchBackend}; issue 15's target on PostgreSQL:
 * ≤ 2 s for 1,000).
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.RestartBench \
 *     [-Dbench.args="--processes 1000 --rows 10 --rounds 3"]
 * </pre>
 */
public final class RestartBench {
    private static final String T = ExecSetup.T;

    private int processes = 1000;
    private int rows = 10;
    private int rounds = 3;
    private List<BenchBackend> backends = List.of(BenchBackend.ROCKS);
    /** Issue 15: restart(true) over 1,000 processes on a shared vault, ms. */
    private static final double PG_TARGET_MS = 2000;

    /** The column builder: throws while {@link #failing} is set. */
    private static final class Flaky implements RowBuilder {
        volatile boolean failing = true;

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            if (failing) {
                throw new IllegalStateException("service down");
            }
            return List.of(row);
        }
    }

    public static void main(String[] args) throws Exception {
        RestartBench b = new RestartBench();
        CliArgs.parseOrExit(() -> b.parse(args));
        JvmFlags.warnIfWrong();
        System.out.print(b.run());
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--processes" -> processes = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--rows" -> rows = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--rounds" -> rounds = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--backend" -> backends = BenchBackend.parse(a, CliArgs.value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (known: --processes --rows --rounds --backend)");
            }
        }
    }

    private enum Mode {
        ADOPT("`restart(false)`: adopt the paused processes"),
        STILL_FAILING("`restart(true)`, builder still failing: each resumes, fails, stays paused"),
        FIXED("`restart(true)`, builder fixed: each resumes and commits");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private Report run() {
        if (backends.contains(BenchBackend.PG)) {
            BenchBackend.trackStatements();
        }
        Report report = new Report();
        report.line("## P6: open with restart over paused processes (" + Instant.now() + ")").line("");
        report.line("- machine: " + Runtime.getRuntime().availableProcessors() + " CPUs visible to the JVM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.vm.version"));
        report.line("- " + processes + " paused executions of " + rows + " rows each, one version each; "
                + rounds + " rounds per mode, median reported; every open on a freshly built vault; load "
                + Report.loadAverage()).line("");
        report.line("| how the vault is opened | backend | paused processes | open, ms (median) | rounds (ms) | after the open |");
        report.line("|---|---|---:|---:|---|---|");
        List<String> verdicts = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            double[][] ms = new double[backends.size()][rounds];
            String[] after = new String[backends.size()];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < backends.size(); k++) {
                    BenchBackend backend = backends.get(k);
                    Path dir = BenchDirs.create("tv-bench-p6-");
                    try {
                        String location = backend.newLocation(dir);
                        prepare(backend, location, dir);
                        Flaky flaky = new Flaky();
                        flaky.failing = mode != Mode.FIXED;
                        VaultOptions o = VaultOptions.defaults().builder("flaky", flaky).restart(mode != Mode.ADOPT)
                                .maxRestartAttempts(Integer.MAX_VALUE);
                        if (backend == BenchBackend.PG) {
                            BenchBackend.resetStatements(location);
                        }
                        long t0 = System.nanoTime();
                        try (Vault v = backend.open(location, dir, o)) {
                            ms[k][r] = (System.nanoTime() - t0) / 1e6;
                            after[k] = check(v, mode);
                        }
                        if (backend == BenchBackend.PG) {
                            System.err.println("[RestartBench] " + mode + ", statements per process in the open: "
                                    + BenchBackend.statements(location)[0] / (double) processes + "; the most frequent: "
                                    + BenchBackend.topStatements(location, 14, processes));
                        }
                    } finally {
                        BenchDirs.deleteRecursively(dir);
                    }
                }
            }
            for (int k = 0; k < backends.size(); k++) {
                double median = Report.median(ms[k]);
                report.line("| " + mode.label + " | " + backends.get(k).label + " | " + String.format("%,d", processes)
                        + " | " + Report.fmt(median, 1) + " | " + Report.join(ms[k], 1) + " | " + after[k] + " |");
                if (mode == Mode.FIXED) {
                    double target = backends.get(k) == BenchBackend.ROCKS ? 1000 : PG_TARGET_MS;
                    verdicts.add(backends.get(k).label + " (target ≤ " + Report.fmt(target / 1000, 0) + " s for"
                            + " 1,000): the processes all commit in " + Report.fmt(median, 1) + " ms, "
                            + Report.verdict(processes >= 1000 && median <= target));
                }
            }
        }
        report.line("").line("P6, restart(true) over paused processes: " + String.join("; ", verdicts) + ".").line("");
        return report;
    }

    /** Builds the vault: {@link #processes} executions, each paused at row 0 of its column builder. */
    private void prepare(BenchBackend backend, String location, Path dir) {
        Flaky flaky = new Flaky();
        try (Vault v = backend.open(location, dir, VaultOptions.defaults().create(true).builder("flaky", flaky))) {
            v.createTable(T, TableOptions.defaults().multipleArtifacts(true));
            for (int i = 0; i < processes; i++) {
                String version = "v" + i;
                v.createInstance(T, InstanceOptions.defaults().version(version));
                v.putBuilder(T, version, ExecSetup.index(rows, null), OpOptions.defaults());
                v.putBuilder(T, version, ExecSetup.column("n", "flaky", Map.of("n", "long"), null),
                        OpOptions.defaults());
                try {
                    v.executeInstance(T, ExecuteOptions.defaults().version(version).processId("p6-" + i));
                    throw new IllegalStateException("execution " + i + " did not pause");
                } catch (IllegalStateException e) {
                    if (!"service down".equals(e.getMessage())) {
                        throw e;
                    }
                }
            }
            if (v.activeProcesses().size() != processes) {
                throw new IllegalStateException("expected " + processes + " paused processes, found "
                        + v.activeProcesses().size());
            }
        }
    }

    /** Checks what the open left behind; returns it in words. */
    private String check(Vault v, Mode mode) {
        Map<String, ?> active = v.activeProcesses();
        int committed = 0;
        for (int i = 0; i < processes; i++) {
            if (v.process("p6-" + i).state() == ProcessState.COMMITTED) {
                committed++;
            }
        }
        boolean ok = mode == Mode.FIXED ? committed == processes && active.isEmpty()
                : committed == 0 && active.size() == processes;
        if (!ok) {
            throw new IllegalStateException(mode + ": " + committed + " committed, " + active.size() + " active, "
                    + TableVault.restartFailures(v).size() + " restart failures");
        }
        return mode == Mode.FIXED ? "all " + committed + " committed" : active.size() + " paused, none lost";
    }
}
