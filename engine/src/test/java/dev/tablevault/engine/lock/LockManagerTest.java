package dev.tablevault.engine.lock;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvLockException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.tablevault.api.LockMode.EXCLUSIVE;
import static dev.tablevault.api.LockMode.SHARED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/**
 * Unit tests of {@link LockManager} with fake holders. Threads are coordinated on observable state (a waiter
 * is known to wait once its thread is {@code TIMED_WAITING}, i.e. parked in the condition's timed wait), never
 * on sleeps. Waits use a long timeout (30 s), so a test that passes proves detection, not a timeout: the two end
 * in different error codes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LockManagerTest {
    private static final Duration NOW = Duration.ZERO;
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final String X = LockManager.table("x");
    private static final String Y = LockManager.table("y");
    private static final String Z = LockManager.table("z");

    /** Fake process table: every holder is RUNNING in this JVM unless the test says otherwise. */
    private final Map<String, LockManager.Holder> states = new ConcurrentHashMap<>();
    /** child -> parent, for sub-processes that share their parent's locks. */
    private final Map<String, String> parents = new ConcurrentHashMap<>();
    private final LockManager.Holders holders = new LockManager.Holders() {
        @Override
        public LockManager.Holder describe(String processId) {
            return states.getOrDefault(processId, new LockManager.Holder(ProcessState.RUNNING, null, true, 1L));
        }

        @Override
        public boolean shares(String holder, String requester) {
            for (String p = requester; p != null; p = parents.get(p)) {
                if (p.equals(holder)) {
                    return true;
                }
            }
            return false;
        }
    };
    private final LockManager lm = new LockManager(holders);
    private final List<Thread> started = new ArrayList<>();

    /** A lock request running on its own thread. */
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

    @AfterEach
    void stopThreads() throws InterruptedException {
        for (Thread t : started) {
            t.interrupt();
            t.join();
        }
    }

    private Waiter acquireAsync(String pid, String resource, LockMode mode, Duration timeout) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                lm.acquire(pid, resource, mode, timeout);
                f.complete(null);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "acquire-" + pid + "-" + resource);
        started.add(t);
        t.start();
        return new Waiter(t, f);
    }

    /** Returns once the waiter is parked in its timed wait for the lock (not merely contending the monitor). */
    private static void awaitParked(Waiter w) {
        while (w.thread.getState() != Thread.State.TIMED_WAITING) {
            if (w.result.isDone()) {
                fail("request of " + w.thread.getName() + " ended instead of waiting: " + w.result);
            }
            Thread.onSpinWait();
        }
    }

    private TvLockException lockFailure(String pid, String resource, LockMode mode, Duration timeout) {
        Throwable t = catchThrowable(() -> lm.acquire(pid, resource, mode, timeout));
        assertThat(t).as("acquire %s %s by %s", resource, mode, pid).isExactlyInstanceOf(TvLockException.class);
        return (TvLockException) t;
    }

    private List<String> held(String pid) {
        return lm.heldBy(pid).stream().map(h -> h.resource() + " " + h.mode()).sorted().toList();
    }

    // ---- compatibility --------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0} {1} then {2} {3} -> conflict={4}")
    @CsvSource({
            "table:t, SHARED, table:t, SHARED, false",
            "table:t, SHARED, table:t, EXCLUSIVE, true",
            "table:t, EXCLUSIVE, table:t, SHARED, true",
            "table:t, EXCLUSIVE, table:t, EXCLUSIVE, true",
            "table:t, EXCLUSIVE, instance:t/TEMP_base, SHARED, true",
            "table:t, SHARED, instance:t/TEMP_base, SHARED, false",
            "table:t, SHARED, instance:t/TEMP_base, EXCLUSIVE, true",
            "instance:t/TEMP_base, SHARED, table:t, EXCLUSIVE, true",
            "instance:t/TEMP_base, EXCLUSIVE, table:t, SHARED, true",
            "table:t, EXCLUSIVE, artifacts:t, SHARED, true",
            "artifacts:t, EXCLUSIVE, table:t, SHARED, true",
            "artifacts:t, SHARED, table:t, SHARED, false",
            "instance:t/TEMP_base, EXCLUSIVE, instance:t/TEMP_base, EXCLUSIVE, true",
            "instance:t/TEMP_base, SHARED, instance:t/TEMP_base, SHARED, false",
            "instance:t/TEMP_base, EXCLUSIVE, instance:t/TEMP_v2, EXCLUSIVE, false",
            "instance:t/TEMP_base, EXCLUSIVE, instance:u/TEMP_base, EXCLUSIVE, false",
            "instance:t/TEMP_base, EXCLUSIVE, artifacts:t, EXCLUSIVE, false",
            "artifacts:t, EXCLUSIVE, artifacts:u, EXCLUSIVE, false",
            "table:t, EXCLUSIVE, table:u, EXCLUSIVE, false",
            "table:t, EXCLUSIVE, instance:tt/TEMP_base, EXCLUSIVE, false",
            "table:t, EXCLUSIVE, artifacts:t-2, EXCLUSIVE, false",
            "vault, EXCLUSIVE, vault, SHARED, true",
            "vault, SHARED, vault, SHARED, false",
    })
    void conflictMatrix(String heldRes, LockMode heldMode, String reqRes, LockMode reqMode, boolean conflict)
            throws InterruptedException {
        lm.acquire("H", heldRes, heldMode, NOW);
        if (conflict) {
            TvLockException e = lockFailure("R", reqRes, reqMode, NOW);
            assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
            assertThat(e.holderId()).isEqualTo("H");
            assertThat(e.holderPid()).isEqualTo(1L);
            assertThat(e.getMessage()).contains("(RUNNING, OS process 1)");
            assertThat(e.resource()).isEqualTo(reqRes);
            assertThat(held("R")).isEmpty();
        } else {
            lm.acquire("R", reqRes, reqMode, NOW);
            assertThat(held("R")).containsExactly(reqRes + " " + reqMode);
        }
        assertThat(held("H")).containsExactly(heldRes + " " + heldMode);
    }

    @Test
    void manySharedHoldersCoexistAndEachBlocksAnExclusiveRequest() throws InterruptedException {
        lm.acquire("A", X, SHARED, NOW);
        lm.acquire("B", X, SHARED, NOW);
        lm.acquire("C", X, SHARED, NOW);
        assertThat(lm.all()).hasSize(3);
        TvLockException e = lockFailure("D", X, EXCLUSIVE, NOW);
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertThat(e.holderId()).isIn("A", "B", "C");
        lm.releaseAll("A");
        lm.releaseAll("B");
        assertThat(lockFailure("D", X, EXCLUSIVE, NOW).holderId()).isEqualTo("C");
        lm.releaseAll("C");
        lm.acquire("D", X, EXCLUSIVE, NOW);
        assertThat(held("D")).containsExactly(X + " EXCLUSIVE");
    }

    @Test
    void subProcessSharesItsParentsLocks() throws InterruptedException {
        parents.put("child", "parent");
        lm.acquire("parent", X, EXCLUSIVE, NOW);
        lm.acquire("child", LockManager.instance("x", "TEMP_base"), EXCLUSIVE, NOW);
        lm.acquire("child", X, SHARED, NOW);
        assertThat(lockFailure("stranger", X, SHARED, NOW).holderId()).isEqualTo("parent");
    }

    // ---- re-entrancy and upgrade ----------------------------------------------------------------------------

    @Test
    void reentrantAcquireKeepsOneLockInTheStrongerMode() throws InterruptedException {
        lm.acquire("A", X, EXCLUSIVE, NOW);
        lm.acquire("A", X, EXCLUSIVE, NOW);
        lm.acquire("A", X, SHARED, NOW);
        assertThat(held("A")).containsExactly(X + " EXCLUSIVE");
        lm.acquire("A", LockManager.instance("x", "TEMP_base"), EXCLUSIVE, NOW);
        lm.acquire("A", LockManager.artifacts("x"), SHARED, NOW);
        assertThat(held("A")).containsExactly("artifacts:x SHARED", "instance:x/TEMP_base EXCLUSIVE",
                X + " EXCLUSIVE");
    }

    @Test
    void sharedUpgradesToExclusiveWhenAlone() throws InterruptedException {
        lm.acquire("A", X, SHARED, NOW);
        lm.acquire("A", X, EXCLUSIVE, NOW);
        assertThat(held("A")).containsExactly(X + " EXCLUSIVE");
        assertThat(lockFailure("B", X, SHARED, NOW).holderId()).isEqualTo("A");
    }

    @Test
    void upgradeBlockedByAnotherSharedHolderTimesOutAndKeepsTheSharedLock() throws InterruptedException {
        lm.acquire("A", X, SHARED, NOW);
        lm.acquire("B", X, SHARED, NOW);
        TvLockException e = lockFailure("A", X, EXCLUSIVE, NOW);
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertThat(e.holderId()).isEqualTo("B");
        assertThat(held("A")).containsExactly(X + " SHARED");
        assertThat(held("B")).containsExactly(X + " SHARED");
    }

    @Test
    void upgradeWaitsForTheOtherSharedHolderToRelease() throws Exception {
        lm.acquire("A", X, SHARED, NOW);
        lm.acquire("B", X, SHARED, NOW);
        Waiter a = acquireAsync("A", X, EXCLUSIVE, LONG);
        awaitParked(a);
        lm.releaseAll("B");
        assertThat(a.failure()).isNull();
        assertThat(held("A")).containsExactly(X + " EXCLUSIVE");
    }

    // ---- timeout --------------------------------------------------------------------------------------------

    @Test
    void timeoutNamesTheHolderItsStateAndTheResource() throws InterruptedException {
        lm.acquire("holder-1", X, EXCLUSIVE, NOW);
        // A short positive timeout goes through the timed wait and out by the deadline.
        TvLockException e = lockFailure("req-1", X, SHARED, Duration.ofMillis(50));
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertThat(e.holderId()).isEqualTo("holder-1");
        assertThat(e.holderState()).isEqualTo(ProcessState.RUNNING);
        assertThat(e.holderError()).isNull();
        assertThat(e.resource()).isEqualTo(X);
        assertThat(e.getMessage()).contains("holder-1").contains(X);
        assertThat(held("req-1")).isEmpty();
        assertThat(held("holder-1")).containsExactly(X + " EXCLUSIVE");
    }

    @Test
    void timedOutWaiterLeavesNoWaitForEdgeBehind() throws InterruptedException {
        lm.acquire("A", X, EXCLUSIVE, NOW);
        lm.acquire("B", Y, EXCLUSIVE, NOW);
        assertThat(lockFailure("B", X, EXCLUSIVE, Duration.ofMillis(20)).code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
        // B no longer waits for A, so A asking for B's lock is a plain conflict, not a deadlock.
        assertThat(lockFailure("A", Y, EXCLUSIVE, NOW).code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
    }

    @Test
    void interruptedWaiterGetsInterruptedExceptionAndLeavesNoWaitForEdge() throws Exception {
        lm.acquire("A", X, EXCLUSIVE, NOW);
        lm.acquire("B", Y, EXCLUSIVE, NOW);
        Waiter b = acquireAsync("B", X, EXCLUSIVE, LONG);
        awaitParked(b);
        b.thread.interrupt();
        assertThat(b.failure()).isInstanceOf(InterruptedException.class);
        assertThat(held("B")).containsExactly(Y + " EXCLUSIVE");
        assertThat(lockFailure("A", Y, EXCLUSIVE, NOW).code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
    }

    // ---- paused holders -------------------------------------------------------------------------------------

    @Test
    void pausedHolderFailsTheRequestAtOnceWithItsError() throws InterruptedException {
        lm.acquire("paused-1", X, EXCLUSIVE, NOW);
        states.put("paused-1", new LockManager.Holder(ProcessState.PAUSED, "java.io.IOException: remote API down",
                false, 4242L));
        TvLockException e = lockFailure("req", LockManager.instance("x", "TEMP_base"), SHARED, LONG);
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
        assertThat(e.holderId()).isEqualTo("paused-1");
        assertThat(e.holderState()).isEqualTo(ProcessState.PAUSED);
        assertThat(e.holderError()).isEqualTo("java.io.IOException: remote API down");
        assertThat(e.holderPid()).isEqualTo(4242L);
        assertThat(e.getMessage()).contains("paused-1").contains("remote API down").contains("OS process 4242");
        assertThat(held("req")).isEmpty();
    }

    @Test
    void holderLeftByACrashedOwnerFailsTheRequestAtOnce() throws InterruptedException {
        lm.adopt("crashed-1", X, EXCLUSIVE);
        states.put("crashed-1", new LockManager.Holder(ProcessState.RUNNING, null, false, 2L));
        TvLockException e = lockFailure("req", X, SHARED, LONG);
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
        assertThat(e.holderId()).isEqualTo("crashed-1");
        assertThat(e.getMessage()).contains("crashed-1");
    }

    @Test
    void waiterFailsAtOnceWhenItsHolderPauses() throws Exception {
        lm.acquire("A", X, EXCLUSIVE, NOW);
        Waiter b = acquireAsync("B", X, SHARED, LONG);
        awaitParked(b);
        states.put("A", new LockManager.Holder(ProcessState.PAUSED, "boom", false, 3L));
        lm.holderChanged("A");
        Throwable t = b.failure();
        assertThat(t).isExactlyInstanceOf(TvLockException.class);
        TvLockException e = (TvLockException) t;
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
        assertThat(e.holderId()).isEqualTo("A");
        assertThat(e.holderError()).isEqualTo("boom");
    }

    @Test
    void adoptedLocksAreHeldWithoutConflictChecks() throws InterruptedException {
        lm.adopt("P", X, EXCLUSIVE);
        lm.adopt("Q", X, EXCLUSIVE);
        assertThat(held("P")).containsExactly(X + " EXCLUSIVE");
        assertThat(held("Q")).containsExactly(X + " EXCLUSIVE");
        states.put("P", new LockManager.Holder(ProcessState.PAUSED, "e", false, 4L));
        states.put("Q", new LockManager.Holder(ProcessState.PAUSED, "e", false, 4L));
        assertThat(lockFailure("R", X, SHARED, LONG).code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
    }

    // ---- deadlock -------------------------------------------------------------------------------------------

    @Test
    void twoWayDeadlockFailsTheRequestThatClosesTheCycleAtOnce() throws Exception {
        lm.acquire("A", X, EXCLUSIVE, NOW);
        lm.acquire("B", Y, EXCLUSIVE, NOW);
        Waiter a = acquireAsync("A", Y, EXCLUSIVE, LONG);
        awaitParked(a);
        TvLockException e = lockFailure("B", X, EXCLUSIVE, LONG);
        assertThat(e.code()).isEqualTo(ErrorCode.DEADLOCK);
        assertThat(e.holderId()).isEqualTo("A");
        assertThat(e.resource()).isEqualTo(X);
        assertThat(e.getMessage()).contains("A").contains(X);
        // B gives up (as its reverting process would): A gets what it waited for.
        lm.releaseAll("B");
        assertThat(a.failure()).isNull();
        assertThat(held("A")).containsExactly(X + " EXCLUSIVE", Y + " EXCLUSIVE");
    }

    @Test
    void threeWayDeadlockIsDetectedThroughTheWaitForGraph() throws Exception {
        lm.acquire("A", X, EXCLUSIVE, NOW);
        lm.acquire("B", Y, EXCLUSIVE, NOW);
        lm.acquire("C", Z, EXCLUSIVE, NOW);
        Waiter a = acquireAsync("A", Y, EXCLUSIVE, LONG);
        awaitParked(a);
        Waiter b = acquireAsync("B", Z, SHARED, LONG);
        awaitParked(b);
        TvLockException e = lockFailure("C", X, SHARED, LONG);
        assertThat(e.code()).isEqualTo(ErrorCode.DEADLOCK);
        assertThat(e.holderId()).isEqualTo("A");
        lm.releaseAll("C");
        assertThat(b.failure()).isNull();
        lm.releaseAll("B");
        assertThat(a.failure()).isNull();
        assertThat(held("A")).containsExactly(X + " EXCLUSIVE", Y + " EXCLUSIVE");
    }

    @Test
    void twoSharedHoldersUpgradingIsADeadlock() throws Exception {
        lm.acquire("A", X, SHARED, NOW);
        lm.acquire("B", X, SHARED, NOW);
        Waiter a = acquireAsync("A", X, EXCLUSIVE, LONG);
        awaitParked(a);
        TvLockException e = lockFailure("B", X, EXCLUSIVE, LONG);
        assertThat(e.code()).isEqualTo(ErrorCode.DEADLOCK);
        assertThat(e.holderId()).isEqualTo("A");
        lm.releaseAll("B");
        assertThat(a.failure()).isNull();
        assertThat(held("A")).containsExactly(X + " EXCLUSIVE");
    }

    /**
     * B waits for an exclusive lock on X held shared by both A and C; C then asks for B's lock on Y. The cycle
     * B -> C -> B exists in the wait-for graph whichever shared holder B recorded first.
     */
    @Test
    void deadlockThroughTheSecondOfTwoSharedHoldersIsDetected() throws Exception {
        Duration wait = Duration.ofSeconds(10);
        lm.acquire("A", X, SHARED, NOW);
        lm.acquire("C", X, SHARED, NOW);
        lm.acquire("B", Y, EXCLUSIVE, NOW);
        Waiter b = acquireAsync("B", X, EXCLUSIVE, wait);
        awaitParked(b);
        Throwable c = catchThrowable(() -> lm.acquire("C", Y, SHARED, wait));
        // Whatever happened, C and A give up their locks now (as reverting processes would).
        lm.releaseAll("C");
        lm.releaseAll("A");
        Throwable bEnd = b.failure();
        List<ErrorCode> codes = new ArrayList<>();
        for (Throwable t : new Throwable[]{c, bEnd}) {
            if (t instanceof TvLockException e) {
                codes.add(e.code());
            }
        }
        assertThat(codes).as("outcomes: C=%s, B=%s", c, bEnd).contains(ErrorCode.DEADLOCK);
    }

    @Test
    void waitersOnOneHolderAreNotADeadlock() throws Exception {
        lm.acquire("A", X, EXCLUSIVE, NOW);
        Waiter b = acquireAsync("B", X, SHARED, LONG);
        awaitParked(b);
        Waiter c = acquireAsync("C", X, SHARED, LONG);
        awaitParked(c);
        lm.releaseAll("A");
        assertThat(b.failure()).isNull();
        assertThat(c.failure()).isNull();
        assertThat(held("B")).containsExactly(X + " SHARED");
        assertThat(held("C")).containsExactly(X + " SHARED");
    }

    // ---- release --------------------------------------------------------------------------------------------

    @Test
    void releaseAllWakesAWaiterWhichThenAcquires() throws Exception {
        lm.acquire("A", X, EXCLUSIVE, NOW);
        lm.acquire("A", LockManager.instance("x", "TEMP_base"), EXCLUSIVE, NOW);
        Waiter b = acquireAsync("B", LockManager.instance("x", "TEMP_base"), EXCLUSIVE, LONG);
        awaitParked(b);
        assertThat(b.result.isDone()).isFalse();
        lm.releaseAll("A");
        assertThat(b.failure()).isNull();
        assertThat(held("A")).isEmpty();
        assertThat(held("B")).containsExactly("instance:x/TEMP_base EXCLUSIVE");
        assertThat(lm.all()).hasSize(1);
    }

    @Test
    void releaseAllReleasesOnlyThatProcess() throws InterruptedException {
        lm.acquire("A", X, SHARED, NOW);
        lm.acquire("C", X, SHARED, NOW);
        lm.acquire("A", Y, EXCLUSIVE, NOW);
        lm.releaseAll("A");
        assertThat(held("A")).isEmpty();
        assertThat(held("C")).containsExactly(X + " SHARED");
        assertThat(lockFailure("D", X, EXCLUSIVE, NOW).holderId()).isEqualTo("C");
        lm.acquire("D", Y, EXCLUSIVE, NOW);
        lm.releaseAll("nobody");
        assertThat(lm.all()).hasSize(2);
    }
}
