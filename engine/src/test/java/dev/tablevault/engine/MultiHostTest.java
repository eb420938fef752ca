package dev.tablevault.engine;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.store.pg.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.tablevault.engine.SharedVaultAcceptanceTest.expected;
import static dev.tablevault.engine.SharedVaultAcceptanceTest.index;
import static dev.tablevault.engine.SharedVaultAcceptanceTest.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Several hosts writing one shared vault at once (here, vault objects with their own host ids in one JVM): their
 * processes' locks are rows every host sees, so they write side by side, wait for each other, keep a paused
 * process's locks across hosts, refuse one process id on two hosts, free the locks of a dead host's process
 * that never persisted once its lease ran out, and adopt a killed host's execution on a live host that has its
 * builder code.
 */
class MultiHostTest {
    private static final String T = "stories";

    @TempDir
    Path tmp;

    private final SharedVaultFenceTest.Hooked text = new SharedVaultFenceTest.Hooked();

    private VaultOptions options(String host, Duration lockTimeout) {
        return VaultOptions.defaults().author("t").hostId(host).localDir(tmp.resolve(host)).lockTimeout(lockTimeout)
                .builder("text", text).adoptOrphans(false);
    }

    private VaultOptions options(String host) {
        return options(host, Duration.ZERO);
    }

    private static void table(Vault v, String version, int rows) {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults().version(version));
        v.putBuilder(T, version, index(rows), OpOptions.defaults());
        v.putBuilder(T, version, SharedVaultAcceptanceTest.column(), OpOptions.defaults());
    }

    private static ExecuteOptions execute(String version, String pid) {
        return ExecuteOptions.defaults().version(version).checkpointRows(100).checkpointMillis(3_600_000)
                .processId(pid);
    }

    @Test
    void twoHostsWriteTheirOwnTablesAtTheSameTime() throws Exception {
        String url = PgCluster.shared().database("mh_side_by_side");
        TableVault.open(url, options("init").create(true)).close();
        try (Vault a = TableVault.open(url, options("a", Duration.ofSeconds(30)));
             Vault b = TableVault.open(url, options("b", Duration.ofSeconds(30)))) {
            CompletableFuture<Void> fa = CompletableFuture.runAsync(() -> tables(a, "a", 15));
            CompletableFuture<Void> fb = CompletableFuture.runAsync(() -> tables(b, "b", 15));
            fa.get(2, TimeUnit.MINUTES);
            fb.get(2, TimeUnit.MINUTES);
            assertThat(a.tables()).hasSize(30).isEqualTo(b.tables());
            for (String p : List.of("a", "b")) {
                for (int k = 0; k < 15; k++) {
                    assertThat(b.dataframe(p + "_" + k, ReadOptions.latest()).rowCount()).isEqualTo(k + 1);
                }
            }
            assertThat(a.verify().ok()).as("%s", a.verify()).isTrue();
            assertThat(a.locks()).isEmpty();
            assertThat(lockRows(url)).isZero();
        }
    }

    private static void tables(Vault v, String prefix, int count) {
        for (int k = 0; k < count; k++) {
            SharingChild.writeTable(v, prefix + "_" + k, k);
        }
    }

    @Test
    void aLockHeldOnOneHostMakesTheOtherWaitUntilItEnds() throws Exception {
        String url = PgCluster.shared().database("mh_wait");
        CountDownLatch inBuilder = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        holdAt(50L, inBuilder, release);
        try (Vault a = TableVault.open(url, options("a").create(true));
             Vault b = TableVault.open(url, options("b"));
             Vault patient = TableVault.open(url, options("patient", Duration.ofSeconds(60)))) {
            table(a, "v", 200);
            CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> a.executeInstance(T, execute("v", "x")));
            assertThat(inBuilder.await(60, TimeUnit.SECONDS)).isTrue();

            TvLockException busy = catchThrowableOfType(() -> b.deleteTable(T, OpOptions.defaults()),
                    TvLockException.class);
            assertThat(busy.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
            assertThat(busy.holderId()).isEqualTo("x");

            CompletableFuture<String> delete = CompletableFuture.supplyAsync(
                    () -> patient.deleteTable(T, OpOptions.defaults()));
            awaitWaiter(url, delete);
            assertThat(delete).isNotDone();
            release.countDown();
            assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo("x");
            delete.get(60, TimeUnit.SECONDS);
            assertThat(a.tables()).doesNotContain(T);
            assertThat(a.process("x").state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(lockRows(url)).isZero();
        }
    }

    @Test
    void aPausedProcessKeepsItsLocksAcrossHostsAndAnotherHostResumesIt() {
        String url = PgCluster.shared().database("mh_paused");
        text.failOnce.add(150L);
        try (Vault a = TableVault.open(url, options("a").create(true))) {
            table(a, "v", 300);
            catchThrowableOfType(() -> a.executeInstance(T, execute("v", "p")),
                    SharedVaultAcceptanceTest.ServiceDown.class);
            assertThat(a.process("p").state()).isEqualTo(ProcessState.PAUSED);
        }
        try (Vault b = TableVault.open(url, options("b"))) {
            TvLockException held = catchThrowableOfType(() -> b.deleteTable(T, OpOptions.defaults()),
                    TvLockException.class);
            assertThat(held.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
            assertThat(held.holderId()).isEqualTo("p");
            assertThat(held.getMessage()).contains("paused", "service down at row 150");
            assertThat(b.locks()).extracting(l -> l.processId()).containsOnly("p");

            assertThat(b.resumeProcess("p")).isEqualTo("p");
            assertThat(b.process("p").state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(b.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(300));
            assertThat(b.locks()).isEmpty();
            b.deleteTable(T, OpOptions.defaults());
            assertThat(b.verify().ok()).as("%s", b.verify()).isTrue();
        }
    }

    @Test
    void oneProcessIdRunsOnOneHostAtATime() throws Exception {
        String url = PgCluster.shared().database("mh_one_id");
        CountDownLatch inBuilder = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        holdAt(5L, inBuilder, release);
        try (Vault a = TableVault.open(url, options("a").create(true));
             Vault b = TableVault.open(url, options("b"))) {
            table(a, "v", 50);
            CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> a.executeInstance(T, execute("v", "x")));
            assertThat(inBuilder.await(60, TimeUnit.SECONDS)).isTrue();
            TableVaultException twice = catchThrowableOfType(() -> b.executeInstance(T, execute("v", "x")),
                    TableVaultException.class);
            assertThat(twice.code()).isEqualTo(ErrorCode.PROCESS_STATE);
            assertThat(twice.getMessage()).contains("process x", "RUNNING on host a");
            release.countDown();
            assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo("x");
            assertThat(b.process("x").state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(b.dataframe(T, ReadOptions.latest().version("v")).column("text")).isEqualTo(expected(50));
        }
    }

    @Test
    void theLocksOfADeadHostsProcessThatNeverPersistedAreFreedOnceItsLeaseEnds() throws SQLException {
        String url = PgCluster.shared().database("mh_dead_host");
        try (Vault b = TableVault.open(url, options("b").create(true))) {
            b.createTable(T, TableOptions.defaults());
            b.createTable("other", TableOptions.defaults());
            // what a host killed between taking its locks and its first batch leaves: a run not persisted, its lock
            ghost(url, "ghost-p", T, false);
            ghost(url, "ghost-q", "other", true);
            b.createInstance(T, InstanceOptions.defaults().version("v"));
            assertThat(runs(url)).containsExactly("ghost-q ORPHANED");
            // a process that persisted is orphaned with its locks, for a host with its builders to resume
            TvLockException orphaned = catchThrowableOfType(() -> b.deleteTable("other", OpOptions.defaults()),
                    TvLockException.class);
            assertThat(orphaned.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
            assertThat(orphaned.holderId()).isEqualTo("ghost-q");
            assertThat(orphaned.getMessage()).contains("its owner died");
        }
    }

    @Test
    void aLiveHostWithTheBuilderAdoptsAKilledHostsExecutionAndOneWithoutLeavesIt() throws Exception {
        int rows = 3000;
        String url = PgCluster.shared().database("mh_adopt");
        try (Vault setup = TableVault.open(url, options("setup").create(true))) {
            table(setup, "base", rows);
        }
        String pid = "exec-adopted";
        try (Vault without = TableVault.open(url, VaultOptions.defaults().hostId("no-code")
                .localDir(tmp.resolve("no-code")));
             Vault with = TableVault.open(url, options("with-code").adoptOrphans(true))) {
            try (ChildJvm child = ChildJvm.start(SharedVaultChild.class, url, "victim", tmp.resolve("c").toString(),
                    pid)) {
                child.awaitLine("blocked");
                child.process().destroyForcibly();
                assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (with.process(pid).state() != ProcessState.COMMITTED) {
                assertThat(with.process(pid).state()).as("a host lacking the code must not pause it")
                        .isNotEqualTo(ProcessState.PAUSED);
                assertThat(System.nanoTime() - deadline).as("no host adopted %s", pid).isNegative();
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            assertThat(without.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(rows));
            assertThat(without.activeProcesses()).isEmpty();
            assertThat(runs(url)).isEmpty();
            assertThat(with.verify().ok()).as("%s", with.verify()).isTrue();
        }
    }

    /** A host {@code ghost} whose lease ended a second ago, running {@code pid} which holds table {@code t}. */
    private static void ghost(String url, String pid, String t, boolean persisted) throws SQLException {
        sql(url, "INSERT INTO tv_hosts (host_id, os_pid, boot_id, epoch, lease_until, state) VALUES ('ghost', 1,"
                + " 'boot', 1, now() - interval '1 second', 'LIVE') ON CONFLICT DO NOTHING");
        sql(url, "INSERT INTO tv_runs (pid, state, owner_host, fence, persisted) VALUES ('" + pid + "', 'RUNNING',"
                + " 'ghost', 1, " + persisted + ")");
        sql(url, "INSERT INTO tv_lock_groups VALUES ('" + t + "') ON CONFLICT DO NOTHING");
        sql(url, "INSERT INTO tv_locks (resource, pid, mode, grp) VALUES ('table:" + t + "', '" + pid + "', 'X', '"
                + t + "')");
    }

    private static List<String> runs(String url) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT pid || ' ' || state FROM tv_runs ORDER BY pid")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private static long lockRows(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM tv_locks")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Polls the wait table until {@code waiting}'s request is recorded as waiting (or fails, if it ended). */
    private static void awaitWaiter(String url, CompletableFuture<?> waiting) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(waiting).as("the request ended instead of waiting").isNotDone();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM tv_lock_waits")) {
                r.next();
                if (r.getLong(1) > 0) {
                    return;
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // a poll of the wait table, not a busy loop
        }
        throw new AssertionError("no request waited within 60 s");
    }

    /** Makes the builder, at {@code row}, count {@code reached} down and wait for {@code release}. */
    private void holdAt(long row, CountDownLatch reached, CountDownLatch release) {
        text.hooks.put(row, () -> {
            reached.countDown();
            await(release);
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the builder");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
