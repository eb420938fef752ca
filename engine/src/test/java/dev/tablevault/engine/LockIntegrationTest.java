package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.LockInfo;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.process.CrashPoints;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.rocks.RocksBackend;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/**
 * Locks through the {@link Vault} API: paused holders across close and reopen, a running holder making a
 * conflicting write time out, and parallel work on different tables. A writer is held inside its commit, with
 * its locks taken, by a {@link Clock} that blocks the writer's thread until the test lets it go; threads are
 * coordinated on latches and thread states, never on sleeps.
 *
 * <p>RocksDB only: it drives the in-memory {@code LockManager} and opens a {@code RocksBackend} itself (to give the
 * vault its clock); the lock scenarios run on both backends in {@code LockContractTest}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LockIntegrationTest {
    private static final String PAUSED = "p-paused";
    private static final Frame FRAME = Frame.builder().column("id", ColumnType.LONG).column("name", ColumnType.STRING)
            .row(1L, "a").row(2L, null).row(3L, "c").build();

    @TempDir
    Path tmp;

    @AfterEach
    void disarm() {
        CrashPoints.disarmAll();
    }

    private static VaultOptions opts() {
        return VaultOptions.defaults().durability(Durability.NONE);
    }

    private Vault create(Path dir) {
        return TableVault.open(dir, opts().create(true));
    }

    /** Asserts that {@code call} fails with a lock error of {@code code} held by {@code holder}, changing nothing. */
    private static TvLockException lockError(Vault v, ErrorCode code, String holder, ThrowingCallable call) {
        VaultContents before = VaultContents.of(v);
        Throwable t = catchThrowable(call);
        assertThat(t).isExactlyInstanceOf(TvLockException.class);
        TvLockException e = (TvLockException) t;
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.holderId()).isEqualTo(holder);
        assertThat(e.getMessage()).contains(holder);
        assertThat(VaultContents.of(v)).isEqualTo(before);
        return e;
    }

    private static TvLockException heldByPaused(Vault v, ThrowingCallable call) {
        TvLockException e = lockError(v, ErrorCode.LOCK_HELD_BY_PAUSED, PAUSED, call);
        assertThat(e.holderState()).isEqualTo(ProcessState.PAUSED);
        assertThat(e.holderError()).contains("injected failure at createInstance.commit");
        assertThat(e.getMessage()).contains("injected failure at createInstance.commit");
        return e;
    }

    /** Leaves {@code createInstance(stories, base)} paused as {@link #PAUSED}, holding instance:stories/TEMP_base. */
    private static void pauseCreateInstance(Vault v) {
        CrashPoints.arm("createInstance.commit", CrashPoints.Action.THROW);
        try {
            v.createInstance("stories", InstanceOptions.defaults().processId(PAUSED));
            fail("the armed crash point did not fire");
        } catch (CrashPoints.InjectedFailure expected) {
            // paused with its locks
        } finally {
            CrashPoints.disarmAll();
        }
    }

    private static void assertPausedHoldsItsLock(Vault v) {
        ProcessInfo p = v.activeProcesses().get(PAUSED);
        assertThat(p).isNotNull();
        assertThat(p.state()).isEqualTo(ProcessState.PAUSED);
        assertThat(p.operation()).isEqualTo("createInstance");
        assertThat(v.locks()).containsExactly(new LockInfo("instance:stories/TEMP_base", LockMode.EXCLUSIVE, PAUSED,
                ProcessState.PAUSED, ProcessHandle.current().pid()));
    }

    private static void conflictingWritesFail(Vault v, String userId) {
        heldByPaused(v, () -> v.createInstance("stories", InstanceOptions.defaults()));
        heldByPaused(v, () -> v.createInstance("stories", InstanceOptions.defaults().externalEdit(true)
                .processId(userId)));
        heldByPaused(v, () -> v.createInstance("stories", InstanceOptions.defaults().version("v2").copy(true)));
        heldByPaused(v, () -> v.deleteTable("stories", OpOptions.defaults()));
        heldByPaused(v, () -> v.renameTable("stories", "renamed", OpOptions.defaults()));
        // Takes table:other first, then fails on table:stories: the lock on other must be given back.
        heldByPaused(v, () -> v.renameTable("other", "stories", OpOptions.defaults()));
        heldByPaused(v, () -> v.deleteInstance("stories", "TEMP_base", OpOptions.defaults()));
        heldByPaused(v, () -> v.putBuilder("stories", "base", BuilderSpec.fromYaml(
                "name: stories_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"), OpOptions.defaults()));
        heldByPaused(v, () -> v.deleteBuilder("stories", "base", "stories_index", OpOptions.defaults()));
        heldByPaused(v, () -> v.writeInstance("stories", FRAME, WriteOptions.defaults()));
        // A conflict is an engine error: the user-id request above was reverted, not paused.
        assertThat(v.process(userId).state()).isEqualTo(ProcessState.REVERTED);
        assertThat(v.activeProcesses()).containsOnlyKeys(PAUSED);
    }

    @Test
    void pausedProcessHoldsItsLocksAcrossCloseAndReopenUntilStopped() {
        Path dir = tmp.resolve("v");
        try (Vault v = create(dir)) {
            v.createTable("stories", TableOptions.defaults());
            v.createTable("other", TableOptions.defaults());
            pauseCreateInstance(v);
            assertPausedHoldsItsLock(v);
            assertThat(v.process(PAUSED).error()).contains("injected failure at createInstance.commit");
            conflictingWritesFail(v, "user-conflict-1");
        }
        try (Vault v = TableVault.open(dir, opts())) {
            assertPausedHoldsItsLock(v);
            conflictingWritesFail(v, "user-conflict-2");

            // Work that needs none of its locks proceeds: other tables, and another version of the same table.
            v.createTable("third", TableOptions.defaults());
            v.createInstance("other", InstanceOptions.defaults().externalEdit(true));
            v.writeInstance("other", FRAME, WriteOptions.defaults());
            assertThat(v.dataframe("other", ReadOptions.latest())).isEqualTo(FRAME);
            v.createInstance("stories", InstanceOptions.defaults().version("v2").externalEdit(true));
            v.writeInstance("stories", FRAME, WriteOptions.defaults().version("v2"));
            assertThat(v.dataframe("stories", ReadOptions.version("v2"))).isEqualTo(FRAME);
            assertPausedHoldsItsLock(v);
        }
        try (Vault v = TableVault.open(dir, opts())) {
            assertPausedHoldsItsLock(v);
            v.stopProcess(PAUSED, StopOptions.defaults());
            assertThat(v.locks()).isEmpty();
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.isProcessComplete(PAUSED)).isTrue();
            assertThat(v.process(PAUSED).state()).isEqualTo(ProcessState.STOPPED);
            assertThat(v.instances("stories", "base", true)).isEmpty();

            v.createInstance("stories", InstanceOptions.defaults().externalEdit(true));
            v.writeInstance("stories", FRAME, WriteOptions.defaults());
            assertThat(v.dataframe("stories", ReadOptions.version("base"))).isEqualTo(FRAME);
            v.deleteTable("stories", OpOptions.defaults());
            assertThat(v.tables()).containsExactlyInAnyOrder("other", "third");
            assertThat(v.locks()).isEmpty();
        }
    }

    @Test
    void lockOfAProcessThatDoesNotExistFailsAtOnce() throws InterruptedException {
        try (Vault v = TableVault.open(tmp.resolve("v"), opts().create(true).lockTimeout(Duration.ofSeconds(30)))) {
            v.createTable("t", TableOptions.defaults());
            ((VaultImpl) v).lockManager().acquire("ghost", dev.tablevault.engine.lock.LockManager.table("t"), LockMode.EXCLUSIVE,
                    Duration.ZERO);
            TvLockException e = lockError(v, ErrorCode.LOCK_HELD_BY_PAUSED, "ghost",
                    () -> v.deleteTable("t", OpOptions.defaults()));
            assertThat(e.resource()).isEqualTo("table:t");
            ((VaultImpl) v).lockManager().releaseAll("ghost");
            v.deleteTable("t", OpOptions.defaults());
            assertThat(v.tables()).isEmpty();
        }
    }

    // ---- running holders ------------------------------------------------------------------------------------

    /**
     * A clock that parks the armed thread the first time it reads the time while its process holds a lock,
     * i.e. inside the commit of its operation, until {@link #release} is counted down.
     */
    static final class GateClock extends Clock {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread armed;
        volatile String pid;
        volatile VaultImpl vault;

        @Override
        public long millis() {
            VaultImpl v = vault;
            if (Thread.currentThread() == armed && v != null && entered.getCount() > 0
                    && !v.lockManager().heldBy(pid).isEmpty()) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return System.currentTimeMillis();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** A vault object on the existing vault at {@code dir} that uses {@code clock}. */
    private static VaultImpl openWithClock(Path dir, VaultOptions options, GateClock clock) {
        Backend store = RocksBackend.open(dir.resolve("db"), false, false, options.durability(),
                options.groupedSyncMillis(), "test");
        VaultImpl v = new VaultImpl(dir, store, options, clock);
        clock.vault = v;
        return v;
    }

    /** Starts {@code createTable(table)} as process {@code pid} on its own thread, parked inside its commit. */
    private static Thread blockedCreateTable(VaultImpl v, GateClock clock, String table, String pid,
                                             CompletableFuture<String> result) throws InterruptedException {
        Thread t = new Thread(() -> {
            try {
                result.complete(v.createTable(table, TableOptions.defaults().processId(pid)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                clock.entered.countDown(); // so a writer that never reached its commit fails the test, not hangs it
            }
        }, "blocked-" + pid);
        clock.pid = pid;
        clock.armed = t;
        t.start();
        clock.entered.await();
        assertThat(result).as("the writer must be parked inside its commit").isNotDone();
        return t;
    }

    @Test
    void runningHolderMakesAConflictingWriteTimeOutWhileOtherTablesProceed() throws Exception {
        Path dir = tmp.resolve("v");
        create(dir).close();
        GateClock clock = new GateClock();
        CompletableFuture<String> blocked = new CompletableFuture<>();
        try (VaultImpl v = openWithClock(dir, opts().lockTimeout(Duration.ofMillis(200)), clock)) {
            Thread t = blockedCreateTable(v, clock, "a", "blocker", blocked);
            try {
                assertThat(v.locks()).containsExactly(new LockInfo("table:a", LockMode.EXCLUSIVE, "blocker",
                        ProcessState.RUNNING, ProcessHandle.current().pid()));
                assertThat(v.activeProcesses().get("blocker").state()).isEqualTo(ProcessState.RUNNING);

                // The holder is running in this JVM: waiting could help, so requests wait, then time out.
                TvLockException e = lockError(v, ErrorCode.LOCK_TIMEOUT, "blocker",
                        () -> v.createTable("a", TableOptions.defaults()));
                assertThat(e.holderState()).isEqualTo(ProcessState.RUNNING);
                assertThat(e.resource()).isEqualTo("table:a");
                lockError(v, ErrorCode.LOCK_TIMEOUT, "blocker",
                        () -> v.createInstance("a", InstanceOptions.defaults().processId("waits-1")));
                assertThat(v.process("waits-1").state()).isEqualTo(ProcessState.REVERTED);

                // No global mutex: table b is written and read to the end while a's writer sits in its commit.
                v.createTable("b", TableOptions.defaults());
                v.createInstance("b", InstanceOptions.defaults().externalEdit(true));
                v.writeInstance("b", FRAME, WriteOptions.defaults());
                assertThat(v.dataframe("b", ReadOptions.latest())).isEqualTo(FRAME);
                assertThat(blocked).isNotDone();
                assertThat(v.tables()).containsExactly("b");
            } finally {
                clock.release.countDown();
                t.join();
            }
            assertThat(blocked.get()).isEqualTo("blocker");
            assertThat(v.tables()).containsExactly("a", "b");
            assertThat(v.locks()).isEmpty();
            assertThat(v.activeProcesses()).isEmpty();
        }
    }

    @Test
    void waiterProceedsOnceTheRunningHolderCommits() throws Exception {
        Path dir = tmp.resolve("v");
        create(dir).close();
        GateClock clock = new GateClock();
        CompletableFuture<String> blocked = new CompletableFuture<>();
        try (VaultImpl v = openWithClock(dir, opts().lockTimeout(Duration.ofSeconds(30)), clock)) {
            Thread t = blockedCreateTable(v, clock, "a", "blocker", blocked);
            CompletableFuture<String> waiter = new CompletableFuture<>();
            Thread w = new Thread(() -> {
                try {
                    waiter.complete(v.createInstance("a", InstanceOptions.defaults().externalEdit(true)
                            .processId("waiter")));
                } catch (Throwable e) {
                    waiter.completeExceptionally(e);
                }
            }, "waiter");
            w.start();
            // Parked in the lock manager's timed wait for table:a.
            while (w.getState() != Thread.State.TIMED_WAITING) {
                if (waiter.isDone()) {
                    fail("createInstance did not wait for the lock: " + waiter);
                }
                Thread.onSpinWait();
            }
            assertThat(v.activeProcesses().get("waiter").state()).isEqualTo(ProcessState.RUNNING);
            clock.release.countDown();
            t.join();
            w.join();
            assertThat(blocked.get()).isEqualTo("blocker");
            // It validated under the lock, after the table's commit: the table exists, so it succeeded.
            assertThat(waiter.get()).isEqualTo("waiter");
            assertThat(v.instances("a", "base", true)).containsExactly("TEMP_base");
            assertThat(v.locks()).isEmpty();
        }
    }

    // ---- parallel work on different tables ------------------------------------------------------------------

    private static Frame frameOf(int thread, int round) {
        Frame.Builder b = Frame.builder().column("thread", ColumnType.LONG).column("round", ColumnType.LONG)
                .column("label", ColumnType.STRING);
        for (int r = 0; r <= round % 5; r++) {
            b.row((long) thread, (long) round, "t" + thread + "-r" + round + "-" + r);
        }
        return b.build();
    }

    @Test
    void threadsOnDifferentTablesAllSucceed() throws Exception {
        int threads = 8;
        int rounds = 20;
        Path dir = tmp.resolve("v");
        try (Vault v = create(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    int id = i;
                    futures.add(pool.submit(() -> {
                        String table = "t" + id;
                        List<String> instanceIds = new ArrayList<>();
                        start.await();
                        for (int round = 0; round < rounds; round++) {
                            v.createTable(table, TableOptions.defaults());
                            v.createInstance(table, InstanceOptions.defaults().externalEdit(true));
                            v.writeInstance(table, frameOf(id, round), WriteOptions.defaults());
                            assertThat(v.dataframe(table, ReadOptions.latest())).isEqualTo(frameOf(id, round));
                            instanceIds.add(v.instances(table, null, false).get(0));
                            if (round < rounds - 1) {
                                v.deleteTable(table, OpOptions.defaults());
                            }
                        }
                        return instanceIds;
                    }));
                }
                for (Future<List<String>> f : futures) {
                    try {
                        assertThat(f.get()).hasSize(rounds);
                    } catch (ExecutionException e) {
                        throw new AssertionError("a worker failed", e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            }
            List<String> expectedTables = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                expectedTables.add("t" + i);
                assertThat(v.instances("t" + i, null, true)).hasSize(1);
                assertThat(v.dataframe("t" + i, ReadOptions.latest())).isEqualTo(frameOf(i, rounds - 1));
            }
            assertThat(v.tables()).containsExactlyInAnyOrderElementsOf(expectedTables);
            assertThat(v.locks()).isEmpty();
            assertThat(v.activeProcesses()).isEmpty();
            // 3 writes per round plus 19 deletes per thread, each with its own history entry.
            assertThat(v.processHistory(100_000)).hasSize(threads * (rounds * 3 + rounds - 1))
                    .allMatch(p -> p.state() == ProcessState.COMMITTED);
        }
        try (Vault v = TableVault.open(dir, opts())) {
            for (int i = 0; i < threads; i++) {
                assertThat(v.dataframe("t" + i, ReadOptions.latest())).isEqualTo(frameOf(i, rounds - 1));
            }
        }
    }
}
