package dev.tablevault.bench;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.tablevault.bench.ExecSetup.T;

/**
 * One P4 measurement in a fresh vault: a table of 2 x N rows (index + one row-wise LONG column, default
 * checkpoints, SYNC) whose execution stops at row N in one of the {@link How} ways, then the time from the start
 * of {@code TableVault.open} to the builder's first call for a new row, and how many finished rows ran again.
 * On a PostgreSQL vault ({@link BenchBackend#PG}) the halted child is another host: this JVM waits until the
 * child's lease has ended by the database clock, then opens with {@code restart(true)}, which sweeps the dead
 * host, claims its run and resumes it (a failover; one writing host at a time, so the survivor opens after it).
 */
final class P4Resume {
    /** How the run stops at row N and how it resumes; the label is the report's. */
    enum How {
        THROWN("thrown (paused), same JVM; `open(restart(true))`"),
        HALTED("halted child JVM (kill -9); `open(restart(true))`"),
        SPLIT("(diagnostic) thrown; `open()`, then `resumeProcess`");

        final String label;

        How(String label) {
            this.label = label;
        }
    }

    /**
     * One P4 measurement. {@code openMs}: {@code TableVault.open} alone (NaN when the open itself resumes);
     * {@code walBytes}: the RocksDB write-ahead log files on disk before the reopen.
     */
    record Result(How how, long done, long rows, long walBytes, double openMs, double firstRowMs,
                  double resumeReturnedMs, long resumedAt, long recomputed, String recomputedWhat,
                  double restRowsPerSec, double recoveryMs, Failover failover) {
        Result recovery(double ms) {
            return new Result(how, done, rows, walBytes, openMs, firstRowMs, resumeReturnedMs, resumedAt, recomputed,
                    recomputedWhat, restRowsPerSec, ms, failover);
        }
    }

    /**
     * A halted host's run taken over, in ms from the halt (the child's clock reading just before it, on this
     * machine's wall clock): until its lease was seen ended and until the first new row in this JVM;
     * {@code leaseMs} is the child's lease.
     */
    record Failover(double leaseEndedMs, double firstRowMs, long leaseMs) {
    }

    private static final Pattern RECOVERY_EVENT = Pattern.compile(
            "\\{\"time_micros\": (\\d+).*\"event\": \"(recovery_started|recovery_finished)\"");

    private P4Resume() {
    }

    static Result run(How how, int done, BenchBackend backend, Duration lease) throws Exception {
        return switch (how) {
            case THROWN -> thrown(done, false, backend);
            case SPLIT -> thrown(done, true, backend);
            case HALTED -> halted(done, backend, lease);
        };
    }

    /**
     * The builder throws at row {@code done}; close; reopen with restart(true), or (split) open without restart
     * and call {@code resumeProcess}.
     */
    private static Result thrown(int done, boolean split, BenchBackend backend) throws Exception {
        int rows = 2 * done;
        Path dir = BenchDirs.create("tv-bench-p4-");
        try {
            ResumeProbe probe = new ResumeProbe(rows, done);
            String pid = "p4-thrown-" + done;
            String location = backend.newLocation(dir);
            try (Vault v = ExecSetup.create(backend, location, dir, Durability.SYNC, Map.of("probe", probe))) {
                ExecSetup.setupOneColumn(v, "base", rows, null, "probe");
                try {
                    v.executeInstance(T, ExecuteOptions.defaults().processId(pid));
                    throw new IllegalStateException("the execution did not stop at row " + done);
                } catch (ResumeProbe.SimulatedKill expected) {
                    // the process is paused with its finished rows committed
                }
                ProcessState s = v.process(pid).state();
                if (s != ProcessState.PAUSED) {
                    throw new IllegalStateException("process " + pid + " is " + s + ", expected PAUSED");
                }
            }
            long wal = walBytes(backend, location);
            probe.resumeFrom();
            Result result;
            ExecSetup.quiesce();
            long t0 = System.nanoTime();
            try (Vault v = backend.open(location, dir, VaultOptions.defaults().author("bench").restart(!split)
                    .builder("probe", probe))) {
                long opened = System.nanoTime();
                long resumed = opened;
                if (split) {
                    if (backend == BenchBackend.PG) {
                        // what resuming asks of the server, up to the first new row
                        BenchBackend.resetStatements(location);
                        probe.atFirst = () -> ExecSetup.progress("P4 statements from resumeProcess to the first new"
                                + " row: " + BenchBackend.statements(location)[0] + ", the most frequent: "
                                + BenchBackend.topStatements(location, 12, 1));
                    }
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
                result = new Result(split ? How.SPLIT : How.THROWN, done, rows, wal,
                        split ? (opened - t0) / 1e6 : Double.NaN, (probe.firstNanos - t0) / 1e6, (resumed - t0) / 1e6,
                        probe.firstRow, recomputed, recomputed + " (of rows < N; row N, which threw, ran again)",
                        (rows - probe.firstRow) / ((resumed - probe.firstNanos) / 1e9), Double.NaN, null);
            }
            return result.recovery(recoveryMs(backend, location));
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    /**
     * A child JVM halts (as kill -9) while computing row {@code done}; this JVM reopens with restart(true): on
     * PostgreSQL as another host, once the child's lease of {@code lease} has ended.
     */
    private static Result halted(int done, BenchBackend backend, Duration lease) throws Exception {
        int rows = 2 * done;
        Path dir = BenchDirs.create("tv-bench-p4h-");
        try {
            String pid = "p4-halted-" + done;
            String location = backend.newLocation(dir);
            ChildJvm.Result c = ChildJvm.start(List.of(), "p4-halt", location, Integer.toString(rows),
                    Integer.toString(done), pid, backend.name(), dir.toString(), Long.toString(lease.toMillis()));
            long returnedNanos = System.nanoTime();
            long returnedMillis = System.currentTimeMillis();
            if (c.exit() != ChildJvm.HALT_STATUS) {
                throw new IllegalStateException("the P4 child exited with " + c.exit() + ", expected "
                        + ChildJvm.HALT_STATUS + " (halt at row " + done + ")");
            }
            long haltNanos = returnedNanos - (returnedMillis - Long.parseLong(c.values().get("haltMillis"))) * 1_000_000;
            long wal = walBytes(backend, location);
            ResumeProbe probe = new ResumeProbe(rows, -1);
            probe.resumeFrom();
            Result result;
            ExecSetup.quiesce();
            long leaseEnded = backend == BenchBackend.PG ? BenchBackend.awaitLeasesEnded(location) : System.nanoTime();
            long t0 = System.nanoTime();
            try (Vault v = backend.open(location, dir, VaultOptions.defaults().author("bench")
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
                result = new Result(How.HALTED, done, rows, wal, Double.NaN, (probe.firstNanos - t0) / 1e6,
                        (opened - t0) / 1e6, probe.firstRow, recomputed, recomputed + " (rows " + probe.firstRow
                        + ".." + (done - 1) + " finished, not yet checkpointed)",
                        (rows - probe.firstRow) / ((opened - probe.firstNanos) / 1e9), Double.NaN,
                        new Failover((leaseEnded - haltNanos) / 1e6, (probe.firstNanos - haltNanos) / 1e6,
                                lease.toMillis()));
            }
            return result.recovery(recoveryMs(backend, location));
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    /**
     * In the child JVM ({@code --child p4-halt}): creates the vault at {@code location} on {@code backend} (on
     * PostgreSQL as host {@code p4-child} with a lease of {@code leaseMillis}) and executes until row
     * {@code haltAt}, then halts as kill -9 would, having told the parent the wall-clock time.
     */
    static int haltingChild(String location, int rows, int haltAt, String pid, BenchBackend backend, Path scratch,
                            long leaseMillis) {
        RowBuilder halting = (ctx, row) -> {
            if (row == haltAt) {
                ChildJvm.put("haltMillis", System.currentTimeMillis());
                Runtime.getRuntime().halt(ChildJvm.HALT_STATUS);
            }
            return List.of(row);
        };
        try (Vault v = backend.open(location, scratch, "p4-child", ExecSetup.options(Durability.SYNC,
                Map.of("probe", halting)).create(true).leaseTtl(Duration.ofMillis(leaseMillis)))) {
            ExecSetup.setupOneColumn(v, "base", rows, null, "probe");
            v.executeInstance(T, ExecuteOptions.defaults().processId(pid));
        }
        System.err.println("the P4 child finished without halting at row " + haltAt);
        return 1;
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
        long got = ExecSetup.materializedRows(v, "base");
        if (got != rows) {
            throw new IllegalStateException("instance has " + got + " rows, expected " + rows);
        }
    }

    /** The RocksDB write-ahead log's bytes on disk; 0 on PostgreSQL, whose WAL is the server's. */
    static long walBytes(BenchBackend backend, String location) throws IOException {
        return backend == BenchBackend.ROCKS ? walBytes(Path.of(location, "db")) : 0;
    }

    static long walBytes(Path dbDir) throws IOException {
        try (Stream<Path> files = Files.list(dbDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /**
     * RocksDB's own account of the last open's WAL recovery (replaying the log into memtables and flushing them):
     * from {@code recovery_started} to {@code recovery_finished} in the database's info {@code LOG}, read after
     * the vault is closed. NaN when the LOG does not say.
     */
    static double recoveryMs(BenchBackend backend, String location) {
        return backend == BenchBackend.ROCKS ? recoveryMs(Path.of(location, "db")) : Double.NaN;
    }

    static double recoveryMs(Path dbDir) {
        try {
            long start = -1;
            long end = -1;
            for (String line : Files.readAllLines(dbDir.resolve("LOG"), StandardCharsets.UTF_8)) {
                Matcher m = RECOVERY_EVENT.matcher(line);
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
}
