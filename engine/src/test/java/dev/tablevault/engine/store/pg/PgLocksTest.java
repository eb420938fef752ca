package dev.tablevault.engine.store.pg;

import com.zaxxer.hikari.HikariDataSource;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.engine.lock.LockManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.tablevault.api.LockMode.EXCLUSIVE;
import static dev.tablevault.api.LockMode.SHARED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/** What only the PostgreSQL lock table does: hosts that die, rows that outlive connections, caller transactions. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PgLocksTest {
    private static final Duration NOW = Duration.ZERO;
    private static final String T = LockManager.table("t");
    private static LockDb db;

    private LockTables.OnPostgres pg;

    @BeforeEach
    void open() {
        synchronized (PgLocksTest.class) {
            if (db == null) {
                db = LockDb.create("pg locks");
            }
        }
        pg = new LockTables.OnPostgres(db);
        pg.start("A", null, 1);
        pg.start("B", null, 2);
    }

    @AfterEach
    void close() {
        if (pg != null) { // null when PostgreSQL is not installed and the test was skipped
            pg.close();
        }
    }

    private TvLockException failure(PgLocks l, String pid, String resource) {
        Throwable t = catchThrowable(() -> l.acquire(pid, resource, SHARED, Duration.ofSeconds(60)));
        assertThat(t).isExactlyInstanceOf(TvLockException.class);
        return (TvLockException) t;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "UPDATE tv_hosts SET state = 'DEAD' WHERE host_id = 'h1'| OS process 4242",
            "UPDATE tv_hosts SET lease_until = now() - interval '1 second' WHERE host_id = 'h1'| OS process 4242",
            "UPDATE tv_runs SET state = 'ORPHANED', owner_host = NULL WHERE pid = 'A'| OS process unknown",
    })
    void aHolderWhoseHostDiedFailsTheRequestAtOnce(String death, String os) throws InterruptedException {
        pg.locks1.acquire("A", T, EXCLUSIVE, NOW);
        db.run(death);
        TvLockException e = failure(pg.locks2, "B", T);
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
        assertThat(e.holderState()).isEqualTo(ProcessState.RUNNING);
        assertThat(e.getMessage()).isEqualTo("cannot lock table:t (SHARED): held EXCLUSIVE on table:t by process A ("
                + os + ") which is not running (RUNNING, its owner died); resume it with resumeProcess(\"A\") or"
                + " stop it with stopProcess(\"A\")");
        assertThat(pg.edges()).isZero();
    }

    @Test
    void locksOutliveTheConnectionsThatTookThem() throws InterruptedException {
        pg.locks1.acquire("A", T, EXCLUSIVE, NOW);
        pg.locks1.acquire("A", LockManager.instance("u", "i"), SHARED, NOW);
        pg.pool1.close();
        try (HikariDataSource other = db.pool()) {
            PgLocks l = pg.newLocks(other);
            assertThat(LockTables.sorted(l.heldBy("A"))).containsExactly("instance:u/i SHARED", T + " EXCLUSIVE");
            Throwable t = catchThrowable(() -> l.acquire("B", T, SHARED, NOW));
            assertThat(t).isInstanceOfSatisfying(TvLockException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT));
        }
    }

    @Test
    void theEndOfARunReleasesItsLocks() throws InterruptedException {
        pg.locks1.acquire("A", T, EXCLUSIVE, NOW);
        pg.locks2.acquire("B", LockManager.table("u"), EXCLUSIVE, NOW);
        db.run("DELETE FROM tv_runs WHERE pid = 'A'");
        assertThat(pg.locks2.all()).containsExactly(new LockManager.Held("table:u", EXCLUSIVE, "B"));
        pg.locks2.acquire("B", T, EXCLUSIVE, NOW);
    }

    @Test
    void aLockTakenInTheCallersTransactionCommitsOrRollsBackWithIt() throws Exception {
        try (Connection c = pg.pool1.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            assertThat(pg.locks1.tryAcquire(c, "A", T, EXCLUSIVE).granted()).isTrue();
            s.execute("UPDATE tv_runs SET attempts = 7 WHERE pid = 'A'");
            c.rollback();
            assertThat(pg.locks2.all()).isEmpty();
            assertThat(db.count("SELECT attempts FROM tv_runs WHERE pid = 'A'")).isZero();

            assertThat(pg.locks1.tryAcquire(c, "A", T, EXCLUSIVE).granted()).isTrue();
            CompletableFuture<PgLocks.Attempt> other = CompletableFuture.supplyAsync(
                    () -> pg.locks2.tryAcquire("B", T, SHARED));
            awaitBlockedOnARowLock(1, other);
            s.execute("UPDATE tv_runs SET attempts = 7 WHERE pid = 'A'");
            c.commit();
            PgLocks.Attempt blocked = other.get();
            assertThat(blocked.granted()).isFalse();
            assertThat(blocked.blockers()).extracting(b -> b.held().processId()).containsExactly("A");
        }
        assertThat(pg.locks2.heldBy("A")).containsExactly(new LockManager.Held(T, EXCLUSIVE, "A"));
        assertThat(db.count("SELECT attempts FROM tv_runs WHERE pid = 'A'")).isEqualTo(7);
    }

    @Test
    void aProcessWithoutARunCannotTakeALock() {
        Throwable t = catchThrowable(() -> pg.locks1.acquire("nobody", T, SHARED, NOW));
        assertThat(t).isInstanceOfSatisfying(TvProcessException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PROCESS_STATE));
        assertThat(pg.locks1.all()).isEmpty();
    }

    @Test
    void timedOutAndDeadlockedRequestsLeaveNoWaitEdge() throws InterruptedException {
        pg.locks1.acquire("A", T, EXCLUSIVE, NOW);
        Throwable t = catchThrowable(() -> pg.locks2.acquire("B", T, SHARED, Duration.ofMillis(20)));
        assertThat(((TvLockException) t).code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertThat(pg.edges()).isZero();
        // B's edge left from an earlier wait goes too when B's request closes a cycle (A is recorded waiting for B)
        db.run("INSERT INTO tv_lock_waits VALUES ('B', ARRAY['zzz'], now()), ('A', ARRAY['B'], now())");
        TvLockException e = (TvLockException) catchThrowable(() -> pg.locks2.acquire("B", T, SHARED, NOW));
        assertThat(e.code()).isEqualTo(ErrorCode.DEADLOCK);
        assertThat(db.count("SELECT count(*) FROM tv_lock_waits WHERE waiter = 'B'")).isZero();
        assertThat(List.of(e.holderId(), e.holderPid())).containsExactly("A", LockDb.OS_PID_1);
    }

    @Test
    void requestsClosingOneCycleRecordTheirWaitsOneAtATime() throws Exception {
        String t1 = LockManager.table("t1");
        String t2 = LockManager.table("t2");
        pg.locks1.acquire("A", t1, EXCLUSIVE, NOW);
        pg.locks2.acquire("B", t2, EXCLUSIVE, NOW);
        try (Connection mutex = DriverManager.getConnection(db.url); Statement s = mutex.createStatement()) {
            mutex.setAutoCommit(false);
            s.executeQuery("SELECT 1 FROM tv_mutex WHERE name = 'waits' FOR UPDATE").close();
            CompletableFuture<String> a = request(pg.locks1, "A", t2);
            awaitBlockedOnARowLock(1, a);
            CompletableFuture<String> b = request(pg.locks2, "B", t1);
            awaitBlockedOnARowLock(2, b);
            mutex.commit(); // both have seen no edge yet; the mutex lets one record its edge before the other looks
            assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder("granted", "DEADLOCK");
        }
        assertThat(pg.edges()).isZero();
    }

    /** {@code pid} asks for {@code resource} on its own thread: "granted", or the code it failed with. */
    private static CompletableFuture<String> request(PgLocks l, String pid, String resource) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                l.acquire(pid, resource, EXCLUSIVE, Duration.ofSeconds(60));
                f.complete("granted");
            } catch (TvLockException e) {
                l.releaseAll(pid); // the loser's operation fails and ends: its locks go
                f.complete(e.code().name());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "request-" + pid);
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Returns once {@code n} sessions of the test database wait for a lock, while {@code f} has not ended. */
    private static void awaitBlockedOnARowLock(int n, CompletableFuture<?> f) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (db.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'") < n) {
            if (f.isDone() || System.nanoTime() > end) {
                fail("the request did not wait for a row lock: " + f);
            }
            Thread.onSpinWait();
        }
    }
}
