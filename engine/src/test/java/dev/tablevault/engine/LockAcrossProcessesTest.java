package dev.tablevault.engine;

import dev.tablevault.api.Durability;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.process.CrashPoints;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.rocks.RocksBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Conflicting writes from two OS processes: this JVM owns the vault and runs the holders (a writer parked inside
 * its commit by {@link LockIntegrationTest.GateClock}, or a paused process); a child JVM ({@link LockClientChild})
 * writes through the owner's socket and gets today's lock semantics, its errors naming the holder's process id,
 * state and OS pid. The child's wait is seen as the owner's serving thread parked in the lock manager, never
 * guessed with a sleep.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LockAcrossProcessesTest {
    private static final String PAUSED = "p-paused";
    private static final long ME = ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    @AfterEach
    void disarm() {
        CrashPoints.disarmAll();
    }

    /** Creates the vault at {@code dir} and opens it with {@code clock}, serving other OS processes. */
    private static VaultImpl owner(Path dir, Duration lockTimeout, LockIntegrationTest.GateClock clock) {
        VaultOptions options = VaultOptions.defaults().durability(Durability.NONE).lockTimeout(lockTimeout);
        TableVault.open(dir, options.create(true)).close();
        Backend store = RocksBackend.open(dir.resolve("db"), false, false, options.durability(),
                options.groupedSyncMillis(), "test");
        VaultImpl v = new VaultImpl(dir, store, options, clock);
        clock.vault = v;
        Sharing.serve(v);
        return v;
    }

    /** A child working through the owner of {@code dir}; {@code send} gives it calls. */
    private static ChildJvm client(Path dir) throws IOException {
        ChildJvm c = ChildJvm.start(LockClientChild.class, dir.toString());
        assertThat(c.awaitLine("READY")).isEqualTo("READY RemoteVault");
        return c;
    }

    private static void send(ChildJvm c, String call) {
        PrintWriter w = new PrintWriter(c.process().getOutputStream(), true, StandardCharsets.UTF_8);
        w.println(call);
    }

    /** Starts {@code createTable(table)} as {@code pid} on its own thread, parked inside its commit. */
    private static Thread blocker(VaultImpl v, LockIntegrationTest.GateClock clock, String table, String pid,
                                  CompletableFuture<String> result) throws InterruptedException {
        Thread t = new Thread(() -> {
            try {
                result.complete(v.createTable(table, TableOptions.defaults().processId(pid)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                clock.entered.countDown();
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
    void aWriteFromAnotherProcessFailsAtOnceAgainstAPausedHolderAndWaitsForARunningOne() throws Exception {
        Path dir = tmp.resolve("v");
        LockIntegrationTest.GateClock clock = new LockIntegrationTest.GateClock();
        // A minute: a request that waited for the paused holder would end as LOCK_TIMEOUT, not LOCK_HELD_BY_PAUSED.
        try (VaultImpl v = owner(dir, Duration.ofMinutes(1), clock); ChildJvm c = client(dir)) {
            v.createTable("stories", TableOptions.defaults());
            CrashPoints.arm("createInstance.commit", CrashPoints.Action.THROW);
            try {
                v.createInstance("stories", InstanceOptions.defaults().processId(PAUSED));
                fail("the armed crash point did not fire");
            } catch (CrashPoints.InjectedFailure expected) {
                // paused with its locks
            } finally {
                CrashPoints.disarmAll();
            }

            send(c, "deleteTable stories");
            assertThat(c.awaitLine("LOCK")).isEqualTo("LOCK LOCK_HELD_BY_PAUSED " + PAUSED + " PAUSED " + ME);
            assertThat(c.awaitLine("MSG")).contains("by process " + PAUSED + " (OS process " + ME + ") which is paused",
                    "injected failure at createInstance.commit");
            assertThat(v.tables()).containsExactly("stories");

            CompletableFuture<String> blocked = new CompletableFuture<>();
            Thread t = blocker(v, clock, "a", "blocker", blocked);
            send(c, "createInstance a waiter");
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return c.awaitLine("OK");
                } catch (IOException | AssertionError e) {
                    throw new IllegalStateException(c.output(), e);
                }
            });
            while (!servingThreadWaitsForALock()) {
                if (answer.isDone()) {
                    fail("the call from the other process did not wait for the lock: " + c.output());
                }
                Thread.onSpinWait();
            }
            assertThat(v.activeProcesses().get("waiter").state()).isEqualTo(ProcessState.RUNNING);
            clock.release.countDown();
            t.join();
            assertThat(blocked.get()).isEqualTo("blocker");
            assertThat(answer.get()).isEqualTo("OK waiter");
            assertThat(v.instances("a", "base", true)).containsExactly("TEMP_base");
        }
    }

    @Test
    void aWriteFromAnotherProcessTimesOutNamingTheRunningHolder() throws Exception {
        Path dir = tmp.resolve("v");
        LockIntegrationTest.GateClock clock = new LockIntegrationTest.GateClock();
        try (VaultImpl v = owner(dir, Duration.ofMillis(200), clock); ChildJvm c = client(dir)) {
            CompletableFuture<String> blocked = new CompletableFuture<>();
            Thread t = blocker(v, clock, "a", "blocker", blocked);
            try {
                send(c, "createTable a");
                assertThat(c.awaitLine("LOCK")).isEqualTo("LOCK LOCK_TIMEOUT blocker RUNNING " + ME);
                assertThat(c.awaitLine("MSG")).contains("by process blocker (RUNNING, OS process " + ME + ")");
            } finally {
                clock.release.countDown();
                t.join();
            }
            assertThat(blocked.get()).isEqualTo("blocker");
            assertThat(v.tables()).containsExactly("a");
        }
    }

    /** True while a thread serving another OS process is parked waiting in {@link LockManager#acquire}. */
    private static boolean servingThreadWaitsForALock() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().startsWith("tablevault-serve-")
                    && e.getKey().getState() == Thread.State.TIMED_WAITING
                    && Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(LockManager.class.getName())
                    && f.getMethodName().equals("acquire"))) {
                return true;
            }
        }
        return false;
    }
}
