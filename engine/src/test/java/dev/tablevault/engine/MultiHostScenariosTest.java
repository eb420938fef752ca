package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.store.pg.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The multi-host failure scenarios of a shared vault through the engine, with real OS processes as hosts: a host
 * killed ({@code kill -9}) mid-execution and one stopped ({@code SIGSTOP}) past its lease, both finished by a live
 * host that adopts the run; a PostgreSQL crash and restart mid-execution; a deadlock between processes on two hosts.
 * Each ends with the result an uninterrupted run gives, a clean {@code verify}, and no run or lock rows left.
 *
 * <p>The kill and stop scenarios run once by default; {@code -Dtv.pg.multiHostRuns=20} repeats each 20 times, the
 * row at which the child host is interrupted moving from round to round.
 */
class MultiHostScenariosTest {
    private static final String T = "stories";
    private static final int ROWS = 3000;
    private static final int RUNS = Integer.getInteger("tv.pg.multiHostRuns", 1);

    @TempDir
    Path tmp;

    /** {@code "v<id>"} for every row, as the child's builder; records the lowest row built and runs row hooks. */
    static final class Text implements RowBuilder {
        final AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);
        final Map<Long, Runnable> hooks = new ConcurrentHashMap<>();

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            lowest.accumulateAndGet(row, Math::min);
            Runnable hook = hooks.remove(row);
            if (hook != null) {
                hook.run();
            }
            return List.of("v" + ctx.value("id", row));
        }
    }

    private final Text text = new Text();

    private VaultOptions options(String host) {
        return VaultOptions.defaults().author("t").hostId(host).localDir(tmp.resolve(host)).adoptOrphans(false)
                .builder("text", text);
    }

    /**
     * A vault at a fresh database with table {@code stories}, version {@code base} ready to execute, and table
     * {@code reference} with the same builders executed without interruption, whose frame it returns (another
     * table: an instance of the same table would be reused by the execution, not computed).
     */
    private Frame setUp(String url) {
        try (Vault v = TableVault.open(url, options("setup").create(true))) {
            for (String table : List.of(T, "reference")) {
                v.createTable(table, TableOptions.defaults());
                v.createInstance(table, InstanceOptions.defaults().version("base"));
                builders(v, table, "base", ROWS, "text");
            }
            v.executeInstance("reference", ExecuteOptions.defaults().checkpointRows(500));
            Frame ref = v.dataframe("reference", ReadOptions.latest());
            assertThat(ref.column("text")).isEqualTo(SharedVaultAcceptanceTest.expected(ROWS));
            return ref;
        }
    }

    /** An index of {@code rows} rows ({@code id}) and a column {@code text} built by builder code {@code code}. */
    private static void builders(Vault v, String table, String version, int rows, String code) {
        v.putBuilder(table, version, BuilderSpec.fromYaml("name: " + table + "_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + rows + "}\n"), OpOptions.defaults());
        v.putBuilder(table, version, BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: " + code
                + "\nchangedColumns: [text]\ndependencies: [" + table + "_index]\n"), OpOptions.defaults());
    }

    /** The row the child host is interrupted at in round {@code round}: past its first checkpoint, moving. */
    private static long interruptAt(int round) {
        return MultiHostChild.CHECKPOINT_ROWS + 1 + (round * 617L) % (ROWS - MultiHostChild.CHECKPOINT_ROWS - 100);
    }

    @Test
    void aHostKilledMidExecutionIsAdoptedByALiveHostAndFinishedToTheUninterruptedResult() throws Exception {
        for (int round = 0; round < RUNS; round++) {
            killed(round);
        }
    }

    private void killed(int round) throws Exception {
        String url = PgCluster.shared().database("mhs_kill");
        Frame reference = setUp(url);
        String pid = "exec-killed";
        long at = interruptAt(round);
        text.lowest.set(Long.MAX_VALUE);
        try (Vault heir = TableVault.open(url, options("heir").adoptOrphans(true))) {
            try (ChildJvm child = ChildJvm.start(MultiHostChild.class, url, "victim", tmp.resolve("victim" + round)
                    .toString(), pid, Long.toString(at))) {
                assertThat(child.awaitLine("at ")).isEqualTo("at " + at);
                child.kill();
            }
            awaitCommitted(heir, pid, "round " + round + ": no host adopted " + pid);
            assertThat(text.lowest.get()).as("round %d: resumed from the killed host's last checkpoint", round)
                    .isEqualTo(at / MultiHostChild.CHECKPOINT_ROWS * MultiHostChild.CHECKPOINT_ROWS);
            assertFinished(heir, url, pid, reference, round);
        }
    }

    @Test
    void aHostStoppedPastItsLeaseCommitsNothingMoreAfterALiveHostAdoptedAndFinishedItsRun() throws Exception {
        for (int round = 0; round < RUNS; round++) {
            stopped(round);
        }
    }

    private void stopped(int round) throws Exception {
        String url = PgCluster.shared().database("mhs_stop");
        Frame reference = setUp(url);
        String pid = "exec-stopped";
        long at = interruptAt(round);
        try (Vault heir = TableVault.open(url, options("heir").adoptOrphans(true))) {
            try (ChildJvm child = ChildJvm.start(MultiHostChild.class, url, "zombie", tmp.resolve("zombie" + round)
                    .toString(), pid, Long.toString(at))) {
                assertThat(child.awaitLine("at ")).isEqualTo("at " + at);
                signal("STOP", child.process().pid());
                awaitCommitted(heir, pid, "round " + round + ": no host adopted the stopped host's " + pid);
                signal("CONT", child.process().pid());
                OutputStream in = child.process().getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                assertThat(child.awaitLine("OUTCOME")).as("round %d:\n%s", round, child.output())
                        .startsWith("OUTCOME " + ErrorCode.PROCESS_FENCED);
                assertThat(child.waitExit()).as(child.output()).isZero();
            }
            assertFinished(heir, url, pid, reference, round);
        }
    }

    @Test
    void aPostgresRestartMidExecutionPausesTheProcessAndItsResumeFinishesItToTheUninterruptedResult() throws Exception {
        String url = PgCluster.shared().database("mhs_pg_restart");
        Frame reference = setUp(url);
        String pid = "exec-restart";
        // the server crashes (an immediate stop) between two checkpoints and stays down until the execution failed;
        // a long lease, so this host keeps it across the outage
        text.hooks.put(1700L, () -> PgCluster.shared().crash());
        try (Vault v = TableVault.open(url, options("host").leaseTtl(Duration.ofMinutes(5)))) {
            TableVaultException failed;
            try {
                failed = catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().version("base")
                        .checkpointRows(500).checkpointMillis(3_600_000).processId(pid)), TableVaultException.class);
            } finally {
                if (text.hooks.isEmpty()) {
                    PgCluster.shared().restart();
                }
            }
            assertThat(text.hooks).as("the server was stopped mid-run").isEmpty();
            assertThat(failed).as("the checkpoint after the crash fails").isNotNull();
            assertThat(failed.code()).as("%s", failed).isEqualTo(ErrorCode.IO);
            assertThat(v.process(pid).state()).as("kept for a resume, not reverted: %s", v.process(pid))
                    .isEqualTo(ProcessState.PAUSED);
            text.lowest.set(Long.MAX_VALUE);
            assertThat(v.resumeProcess(pid)).isEqualTo(pid);
            assertThat(text.lowest.get()).as("resumed from the last checkpoint before the crash").isEqualTo(1500);
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.COMMITTED);
            assertFinished(v, url, pid, reference, 0);
        }
    }

    @Test
    void processesOnTwoHostsEachWaitingForTheOthersTableEndInOneDeadlockAndTheOtherCommits() throws Exception {
        String url = PgCluster.shared().database("mhs_deadlock");
        VaultOptions base = crossing(options("init"));
        try (Vault init = TableVault.open(url, base.create(true))) {
            crossTables(init);
        }
        try (Vault a = TableVault.open(url, base.hostId("a").localDir(tmp.resolve("a")));
             Vault b = TableVault.open(url, base.hostId("b").localDir(tmp.resolve("b")))) {
            crossDeadlock(a, b);
            assertThat(count(url, "tv_runs")).as("run rows").isZero();
            assertThat(count(url, "tv_locks")).as("lock rows").isZero();
            assertThat(count(url, "tv_lock_waits")).as("wait edges").isZero();
        }
    }

    /** The same on one host's directory vault: the lock table in memory follows sub-processes as the rows do. */
    @Test
    void twoExecutionsOnOneHostEachWaitingForTheOthersTableEndInOneDeadlock() throws Exception {
        VaultOptions options = crossing(VaultOptions.defaults().author("t")).create(true);
        try (Vault v = TableVault.open(tmp.resolve("dir"), options)) {
            crossTables(v);
            crossDeadlock(v, v);
            assertThat(v.locks()).isEmpty();
        }
    }

    /** Processes whose builder ({@code cross}), at row 5 and once both got there, deletes the other's table. */
    private static VaultOptions crossing(VaultOptions options) {
        CyclicBarrier holding = new CyclicBarrier(2);
        Map<String, String> otherTable = Map.of("x-left", "right", "x-right", "left");
        RowBuilder cross = (ctx, row) -> {
            if (row == 5) {
                holding.await(2, TimeUnit.MINUTES);
                ctx.vault().deleteTable(otherTable.get(ctx.processId()), OpOptions.defaults());
            }
            return List.of("v" + ctx.value("id", row));
        };
        return options.lockTimeout(Duration.ofSeconds(30)).builder("cross", cross);
    }

    private static void crossTables(Vault v) {
        for (String table : List.of("left", "right")) {
            v.createTable(table, TableOptions.defaults());
            v.createInstance(table, InstanceOptions.defaults().version("v"));
            builders(v, table, "v", 20, "cross");
        }
    }

    /**
     * Executes {@code left} on {@code a} and {@code right} on {@code b} at once: each holds its own instance and its
     * builder's sub-process waits for the other's table, so exactly one fails with {@code DEADLOCK} (and reverts,
     * releasing its locks) and the other commits, deleting the loser's table.
     */
    private static void crossDeadlock(Vault a, Vault b) throws InterruptedException {
        CompletableFuture<String> left = CompletableFuture.supplyAsync(() -> a.executeInstance("left",
                ExecuteOptions.defaults().version("v").processId("x-left")));
        CompletableFuture<String> right = CompletableFuture.supplyAsync(() -> b.executeInstance("right",
                ExecuteOptions.defaults().version("v").processId("x-right")));
        List<Throwable> failures = new ArrayList<>();
        List<String> committed = new ArrayList<>();
        for (CompletableFuture<String> f : List.of(left, right)) {
            try {
                committed.add(f.get(3, TimeUnit.MINUTES));
            } catch (ExecutionException | TimeoutException e) {
                failures.add(e.getCause() == null ? e : e.getCause());
            }
        }
        assertThat(failures).as("exactly one deadlock: %s", failures).singleElement()
                .satisfies(e -> assertThat(deadlockIn(e)).as("%s", e).isTrue());
        assertThat(committed).hasSize(1);
        String winner = committed.get(0);
        String loser = winner.equals("x-left") ? "x-right" : "x-left";
        assertThat(a.process(winner).state()).isEqualTo(ProcessState.COMMITTED);
        assertThat(a.process(loser).state()).isEqualTo(ProcessState.REVERTED);
        assertThat(a.tables()).containsExactly(winner.substring(2));
        assertThat(a.activeProcesses()).isEmpty();
        assertThat(a.verify().ok()).as("%s", a.verify()).isTrue();
    }

    /** True when {@code e} or one of its causes is a {@code DEADLOCK} failure. */
    private static boolean deadlockIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TableVaultException v && v.code() == ErrorCode.DEADLOCK) {
                return true;
            }
        }
        return false;
    }

    /** The execution's result equals the uninterrupted one, it ended once, and nothing of it is left. */
    private static void assertFinished(Vault v, String url, String pid, Frame reference, int round)
            throws SQLException {
        assertThat(v.dataframe(T, ReadOptions.latest().version("base"))).as("round %d", round).isEqualTo(reference);
        List<ProcessInfo> ends = v.processHistory(1000).stream().filter(p -> p.id().equals(pid)).toList();
        assertThat(ends).as("round %d: one end of %s", round, pid).singleElement()
                .extracting(ProcessInfo::state).isEqualTo(ProcessState.COMMITTED);
        assertThat(v.activeProcesses()).isEmpty();
        assertThat(count(url, "tv_runs")).as("run rows").isZero();
        assertThat(count(url, "tv_locks")).as("lock rows").isZero();
        assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
    }

    private static void awaitCommitted(Vault v, String pid, String failure) {
        await(() -> v.process(pid).state() == ProcessState.COMMITTED, failure);
    }

    /** Polls {@code done} until true; fails after two minutes (a bound against a hang, not a timed assertion). */
    private static void await(BooleanSupplier done, String failure) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(failure).isNegative();
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private static long count(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(1, TimeUnit.MINUTES) && kill.exitValue() == 0).as("kill -%s %d", signal, pid)
                .isTrue();
    }
}
