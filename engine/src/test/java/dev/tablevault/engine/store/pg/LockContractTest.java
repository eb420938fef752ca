package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvLockException;
import dev.tablevault.engine.lock.LockManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.tablevault.api.LockMode.EXCLUSIVE;
import static dev.tablevault.api.LockMode.SHARED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/**
 * The same lock scenarios against the in-memory {@link LockManager} and {@link PgLocks}: same outcomes, codes,
 * holders and messages. On PostgreSQL the processes run on two hosts with a pool each. Waiters are known to wait
 * by observable state (the parked thread; the {@code tv_lock_waits} row), never by sleeps; waits use a long
 * timeout, so a passing deadlock or paused-holder test proves detection, not a timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LockContractTest {
    private static final Duration NOW = Duration.ZERO;
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final String T = LockManager.table("t");
    private static final String LATER = "; retry later or raise VaultOptions.lockTimeout";
    private static LockDb db;

    private LockTables tables;
    private final List<Thread> started = new ArrayList<>();

    private record Waiter(Thread thread, CompletableFuture<Void> result) {
        Throwable failure() throws InterruptedException {
            try {
                result.get();
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    private static synchronized LockDb db() {
        if (db == null) {
            db = LockDb.create("lock contract");
        }
        return db;
    }

    private LockTables open(String kind) {
        tables = kind.equals("memory") ? new LockTables.InMemory() : new LockTables.OnPostgres(db());
        return tables;
    }

    @AfterEach
    void close() throws InterruptedException {
        for (Thread t : started) {
            t.interrupt();
            t.join();
        }
        if (tables != null) {
            tables.close();
        }
    }

    private Waiter async(LockTables.Locks l, String pid, String resource, LockMode mode) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                l.acquire(pid, resource, mode, LONG);
                f.complete(null);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "acquire-" + pid);
        started.add(t);
        t.start();
        return new Waiter(t, f);
    }

    /** Returns once {@code pid}'s request waits; bounded, so a request that never waits fails the test. */
    private void awaitWaiting(String pid, Waiter w) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!tables.waiting(pid, w.thread)) {
            if (w.result.isDone() || System.nanoTime() > end) {
                fail("request of " + pid + " ended or never waited: " + w.result);
            }
            Thread.onSpinWait();
        }
    }

    private static TvLockException failure(LockTables.Locks l, String pid, String resource, LockMode mode,
                                           Duration timeout) {
        Throwable t = catchThrowable(() -> l.acquire(pid, resource, mode, timeout));
        assertThat(t).as("acquire %s %s by %s", resource, mode, pid).isExactlyInstanceOf(TvLockException.class);
        return (TvLockException) t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void sharedLocksCoexistAndBlockAnExclusiveRequestUntilTheTimeout(String kind) throws InterruptedException {
        LockTables t = open(kind);
        t.start("A", null, 1);
        t.start("B", null, 1);
        t.start("C", null, 2);
        t.on(1).acquire("A", T, SHARED, NOW);
        t.on(2).acquire("C", T, SHARED, NOW);
        assertThat(t.on(2).heldBy("A")).containsExactly(T + " SHARED");
        TvLockException e = failure(t.on(1), "B", T, EXCLUSIVE, NOW);
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("cannot lock table:t (EXCLUSIVE) within 0 ms: held SHARED on table:t"
                + " by process A (RUNNING, OS process 4242)" + LATER);
        assertThat(e.holderPid()).isEqualTo(LockDb.OS_PID_1);
        t.on(1).releaseAll("A");
        assertThat(failure(t.on(1), "B", T, EXCLUSIVE, Duration.ofMillis(50)).getMessage())
                .isEqualTo("cannot lock table:t (EXCLUSIVE) within 50 ms: held SHARED on table:t by process C"
                        + " (RUNNING, OS process 4343)" + LATER);
        t.on(2).releaseAll("C");
        t.on(1).acquire("B", T, EXCLUSIVE, NOW);
        assertThat(t.on(2).heldBy("B")).containsExactly(T + " EXCLUSIVE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void aTableLockCoversItsInstancesAndArtifactsOnly(String kind) throws InterruptedException {
        LockTables t = open(kind);
        for (String p : List.of("A", "B", "C", "D")) {
            t.start(p, null, p.equals("B") || p.equals("D") ? 2 : 1);
        }
        t.on(1).acquire("A", T, EXCLUSIVE, NOW);
        assertThat(failure(t.on(2), "B", LockManager.instance("t", "i1"), SHARED, NOW).holderId()).isEqualTo("A");
        assertThat(failure(t.on(2), "B", LockManager.artifacts("t"), SHARED, NOW).holderId()).isEqualTo("A");
        t.on(2).acquire("B", LockManager.instance("u", "i1"), EXCLUSIVE, NOW);
        t.on(2).acquire("B", LockManager.table("tt"), EXCLUSIVE, NOW);
        t.on(2).acquire("B", LockManager.artifacts("t-2"), EXCLUSIVE, NOW);
        t.on(1).acquire("C", LockManager.instance("v", "i"), EXCLUSIVE, NOW);
        t.on(1).acquire("C", LockManager.instance("v", "i2"), SHARED, NOW);
        TvLockException e = failure(t.on(2), "D", LockManager.table("v"), SHARED, NOW);
        assertThat(e.getMessage()).isEqualTo("cannot lock table:v (SHARED) within 0 ms: held EXCLUSIVE on"
                + " instance:v/i by process C (RUNNING, OS process 4242)" + LATER);
        t.on(2).acquire("D", LockManager.instance("v", "i2"), SHARED, NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void vaultLocksConflictByMode(String kind) throws InterruptedException {
        LockTables t = open(kind);
        t.start("A", null, 1);
        t.start("B", null, 2);
        t.start("C", null, 2);
        t.on(1).acquire("A", LockManager.VAULT, EXCLUSIVE, NOW);
        TvLockException e = failure(t.on(2), "B", LockManager.VAULT, SHARED, NOW);
        assertThat(e.getMessage()).isEqualTo("cannot lock vault (SHARED) within 0 ms: held EXCLUSIVE on vault by"
                + " process A (RUNNING, OS process 4242)" + LATER);
        t.on(1).releaseAll("A");
        t.on(2).acquire("B", LockManager.VAULT, SHARED, NOW);
        t.on(2).acquire("C", LockManager.VAULT, SHARED, NOW);
        assertThat(failure(t.on(1), "A", LockManager.VAULT, EXCLUSIVE, NOW).code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void reentrantRequestsKeepOneLockAndUpgradeWhenAlone(String kind) throws InterruptedException {
        LockTables t = open(kind);
        t.start("A", null, 1);
        t.start("B", null, 2);
        t.start("C", null, 1);
        t.on(1).acquire("A", T, SHARED, NOW);
        t.on(1).acquire("A", T, SHARED, NOW);
        assertThat(t.on(1).heldBy("A")).containsExactly(T + " SHARED");
        t.on(1).acquire("A", T, EXCLUSIVE, NOW);
        t.on(1).acquire("A", T, SHARED, NOW);
        assertThat(t.on(2).heldBy("A")).containsExactly(T + " EXCLUSIVE");
        assertThat(failure(t.on(2), "B", T, SHARED, NOW).holderId()).isEqualTo("A");

        String u = LockManager.table("u");
        t.on(2).acquire("B", u, SHARED, NOW);
        t.on(1).acquire("C", u, SHARED, NOW);
        TvLockException e = failure(t.on(2), "B", u, EXCLUSIVE, NOW);
        assertThat(e.holderId()).isEqualTo("C");
        assertThat(t.on(2).heldBy("B")).containsExactly(u + " SHARED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void subProcessesShareTheirAncestorsLocks(String kind) throws InterruptedException {
        LockTables t = open(kind);
        t.start("P", null, 1);
        t.start("C", "P", 1);
        t.start("G", "C", 1);
        t.start("S", null, 2);
        t.on(1).acquire("P", T, EXCLUSIVE, NOW);
        t.on(1).acquire("C", LockManager.instance("t", "i"), EXCLUSIVE, NOW);
        t.on(1).acquire("G", T, SHARED, NOW);
        TvLockException e = failure(t.on(2), "S", T, SHARED, NOW);
        assertThat(e.holderId()).isEqualTo("P");
        assertThat(failure(t.on(1), "P", LockManager.instance("t", "i"), SHARED, NOW).holderId()).isEqualTo("C");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void aPausedHolderFailsTheRequestAtOnceNamingItsError(String kind) {
        LockTables t = open(kind);
        t.start("A", null, 1);
        t.start("B", null, 2);
        try {
            t.on(1).acquire("A", T, EXCLUSIVE, NOW);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        t.pause("A", "disk on fire");
        TvLockException e = failure(t.on(2), "B", T, SHARED, LONG);
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
        assertThat(e.getMessage()).isEqualTo("cannot lock table:t (SHARED): held EXCLUSIVE on table:t by process A"
                + " (OS process unknown) which is paused; its error: disk on fire; resume it with"
                + " resumeProcess(\"A\") or stop it with stopProcess(\"A\")");
        assertThat(e.holderState()).isEqualTo(ProcessState.PAUSED);
        assertThat(e.holderError()).isEqualTo("disk on fire");
        assertThat(e.holderId()).isEqualTo("A");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void aWaiterFailsOnceItsHolderPauses(String kind) throws InterruptedException {
        LockTables t = open(kind);
        Waiter b = bWaitsForA(t, EXCLUSIVE);
        t.pause("A", "out of memory");
        assertThat(b.failure()).isInstanceOfSatisfying(TvLockException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED));
        assertNoEdges();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void aReleaseOnOneHostGrantsTheWaiterOnTheOther(String kind) throws InterruptedException {
        LockTables t = open(kind);
        Waiter b = bWaitsForA(t, SHARED);
        t.on(1).releaseAll("A");
        assertThat(b.failure()).isNull();
        assertThat(t.on(1).heldBy("B")).containsExactly(T + " SHARED");
        assertNoEdges();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void theRequestThatClosesACycleAcrossHostsFailsAtOnce(String kind) throws InterruptedException {
        LockTables t = open(kind);
        String t1 = LockManager.table("t1");
        String t2 = LockManager.table("t2");
        holdOneTableEach(t, t1, t2);
        Waiter a = async(t.on(1), "A", t2, EXCLUSIVE);
        awaitWaiting("A", a);
        TvLockException e = failure(t.on(2), "B", t1, EXCLUSIVE, LONG);
        assertThat(e.code()).isEqualTo(ErrorCode.DEADLOCK);
        assertThat(e.getMessage()).isEqualTo("cannot lock table:t1 (EXCLUSIVE): waiting for process A (OS process"
                + " 4242) would deadlock; retry the operation");
        assertThat(a.result.isDone()).as("the other request still waits").isFalse();
        t.on(2).releaseAll("B");
        assertThat(a.failure()).isNull();
        assertThat(t.on(1).heldBy("A")).containsExactly(t1 + " EXCLUSIVE", t2 + " EXCLUSIVE");
        assertNoEdges();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void twoHostsClosingOneCycleAtOnceFailExactlyOne(String kind) throws Exception {
        LockTables t = open(kind);
        String t1 = LockManager.table("t1");
        String t2 = LockManager.table("t2");
        holdOneTableEach(t, t1, t2);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (String[] r : new String[][] {{"A", t2, "1"}, {"B", t1, "2"}}) {
            CompletableFuture<String> f = new CompletableFuture<>();
            outcomes.add(f);
            Thread th = new Thread(() -> {
                LockTables.Locks l = t.on(Integer.parseInt(r[2]));
                try {
                    go.await();
                    l.acquire(r[0], r[1], EXCLUSIVE, LONG);
                    f.complete("granted");
                } catch (TvLockException e) {
                    l.releaseAll(r[0]); // the loser's operation fails and ends: its locks go
                    f.complete(e.code().name());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            }, "race-" + r[0]);
            started.add(th);
            th.start();
        }
        go.countDown();
        List<String> got = List.of(outcomes.get(0).get(), outcomes.get(1).get());
        assertThat(got).containsExactlyInAnyOrder("granted", "DEADLOCK");
        assertNoEdges();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void anInterruptedWaiterStopsWaiting(String kind) throws InterruptedException {
        LockTables t = open(kind);
        Waiter b = bWaitsForA(t, EXCLUSIVE);
        b.thread.interrupt();
        assertThat(b.failure()).isInstanceOf(InterruptedException.class);
        assertThat(t.on(2).heldBy("B")).isEmpty();
        assertNoEdges();
    }

    /** On PostgreSQL, no wait edge is left behind (the in-memory graph is not visible). */
    private void assertNoEdges() {
        if (tables instanceof LockTables.OnPostgres pg) {
            assertThat(pg.edges()).isZero();
        }
    }

    /** Process A on host 1 holds {@code t1} exclusively, process B on host 2 holds {@code t2}. */
    private static void holdOneTableEach(LockTables t, String t1, String t2) throws InterruptedException {
        t.start("A", null, 1);
        t.start("B", null, 2);
        t.on(1).acquire("A", t1, EXCLUSIVE, NOW);
        t.on(2).acquire("B", t2, EXCLUSIVE, NOW);
    }

    /** Process A on host 1 holds {@link #T} exclusively; process B on host 2 asks for it in {@code mode} and waits. */
    private Waiter bWaitsForA(LockTables t, LockMode mode) throws InterruptedException {
        t.start("A", null, 1);
        t.start("B", null, 2);
        t.on(1).acquire("A", T, EXCLUSIVE, NOW);
        Waiter b = async(t.on(2), "B", T, mode);
        awaitWaiting("B", b);
        return b;
    }
}
