package dev.tablevault.engine;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ProcessStatus;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.VerifyReport;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.runner.RunnerId;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.rocks.RocksBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Who runs what: a process records its runner (pid and start time); one whose runner was killed shows CRASHED
 * to a read-only handle and to the next owner, with its locks; resuming it records the new runner and gives
 * the same result as an uninterrupted run.
 */
class RunnerLivenessTest {
    private static final int ROWS = 3000;
    private static final int BATCH = 500;
    private static final long STOP_AT = 1700;

    @TempDir
    Path tmp;

    @Test
    void aKilledExecutionShowsCrashedAndResumesToTheSameResult() throws Exception {
        Path dir = tmp.resolve("v");
        OwnerChild.prepareExecute(dir, ROWS);
        long childPid;
        Instant childStart;
        try (ChildJvm child = CrashedProcesses.startExecution(dir, ROWS, BATCH, STOP_AT)) {
            child.awaitLine("AT ");
            childPid = child.process().pid();
            childStart = child.process().info().startInstant().orElseThrow();
            try (Vault ro = TableVault.open(dir, VaultOptions.defaults().readOnly(true))) {
                ProcessInfo p = ro.process(CrashedProcesses.ID);
                assertThat(p.state()).isEqualTo(ProcessState.RUNNING);
                assertThat(p.status()).as("its runner is alive").isEqualTo(ProcessStatus.RUNNING);
                assertThat(p.runnerPid()).isEqualTo(childPid);
                assertThat(ro.verify().warnings()).isEmpty();
            }
            child.kill();
        }

        try (Vault ro = TableVault.open(dir, VaultOptions.defaults().readOnly(true))) {
            ProcessInfo p = ro.activeProcesses().get(CrashedProcesses.ID);
            assertCrashed(p, childPid, childStart);
            assertThat(ro.process(CrashedProcesses.ID)).isEqualTo(p);
            assertWarnsAboutItsLocks(ro.verify());
        }

        AtomicBoolean failAgain = new AtomicBoolean(true);
        RowBuilder slow = (ctx, row) -> {
            if (row == ROWS - 100 && failAgain.get()) {
                throw new IllegalStateException("external failure at row " + row);
            }
            return List.of("v" + row);
        };
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().builder("slow", slow))) {
            assertCrashed(v.process(CrashedProcesses.ID), childPid, childStart);
            assertCrashed(v.activeProcesses().get(CrashedProcesses.ID), childPid, childStart);
            assertWarnsAboutItsLocks(v.verify());

            // Resumed here, it records this JVM as its runner: the pause it meets shows it.
            assertThat(catchThrowable(() -> v.resumeProcess(CrashedProcesses.ID)))
                    .isInstanceOf(IllegalStateException.class);
            ProcessInfo paused = v.process(CrashedProcesses.ID);
            assertThat(paused.status()).isEqualTo(ProcessStatus.PAUSED);
            assertThat(paused.runnerPid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(paused.runnerStart()).isEqualTo(ProcessHandle.current().info().startInstant().orElseThrow());

            failAgain.set(false);
            assertThat(v.resumeProcess(CrashedProcesses.ID)).isEqualTo(CrashedProcesses.ID);
            ProcessInfo done = v.process(CrashedProcesses.ID);
            assertThat(done.status()).isEqualTo(ProcessStatus.COMMITTED);
            assertThat(done.runnerPid()).isNull();
            List<Object> expected = new ArrayList<>();
            for (int r = 0; r < ROWS; r++) {
                expected.add("v" + r);
            }
            assertThat(v.dataframe("stories", ReadOptions.latest()).column("text")).isEqualTo(expected);
            assertThat(v.verify().warnings()).isEmpty();
        }
    }

    /**
     * A record naming this JVM as its runner, left RUNNING by an earlier open (its pause could not be written,
     * say): this JVM is alive, but the owner knows it runs nothing of the kind, so it shows CRASHED.
     */
    @Test
    void aProcessThisJvmNoLongerRunsShowsCrashedToItsNextOpen() {
        Path dir = tmp.resolve("v");
        TableVault.open(dir, VaultOptions.defaults().create(true)).close();
        RunnerId me = RunnerId.current();
        try (RocksBackend s = RocksBackend.open(dir.resolve("db"), false, false, Durability.SYNC, 10, "test")) {
            Batch b = new Batch();
            b.put(Family.PROC, Keys.process("left"), Codec.encode(new ProcessRecord("left", "createTable",
                    ProcessState.RUNNING, "me", null, 1L, 2L, null, 1, 0, "d", me.pid(), me.startMillis(), true,
                    true)));
            s.write(b);
        }
        try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
            ProcessInfo p = v.process("left");
            assertThat(p.status()).isEqualTo(ProcessStatus.CRASHED);
            assertThat(p.runnerPid()).isEqualTo(me.pid());
            assertThat(v.activeProcesses().get("left").status()).isEqualTo(ProcessStatus.CRASHED);
        }
    }

    private static void assertCrashed(ProcessInfo p, long pid, Instant start) {
        assertThat(p.state()).as("the saved state").isEqualTo(ProcessState.RUNNING);
        assertThat(p.status()).isEqualTo(ProcessStatus.CRASHED);
        assertThat(p.runnerPid()).isEqualTo(pid);
        assertThat(Math.abs(p.runnerStart().toEpochMilli() - start.toEpochMilli())).isLessThanOrEqualTo(1_000);
    }

    private static void assertWarnsAboutItsLocks(VerifyReport r) {
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).singleElement().asString()
                .contains("process " + CrashedProcesses.ID, "crashed", "instance:stories/TEMP_base",
                        "tv resume " + CrashedProcesses.ID, "tv stop " + CrashedProcesses.ID + " [--materialize]");
    }
}
