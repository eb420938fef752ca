package dev.tablevault.engine;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ProcessStatus;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.board.BoardView;
import dev.tablevault.engine.remote.RemoteVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Executions whose builder code runs in a process that does not own the vault ({@link RemoteExecChild}), and
 * {@code kill -9}: of that process in the middle of its execution (the process shows CRASHED and another process
 * resumes it to the same result, recomputing at most one checkpoint), and of the owner while two such processes
 * write and execute (one of them takes over, no acknowledged write is lost, both executions end as an
 * uninterrupted run would).
 */
class RemoteExecutionCrashTest {
    @TempDir
    Path tmp;

    private static List<Object> expected(int rows) {
        return LongStream.range(0, rows).mapToObj(r -> (Object) ("v" + r)).toList();
    }

    private static Set<Long> calls(ChildJvm child) {
        return child.output().lines().filter(l -> l.startsWith("CALL ")).map(l -> Long.parseLong(l.substring(5)))
                .collect(Collectors.toSet());
    }

    /** The runner the board names for running process {@code id} once it is {@code expected} (30 s safety net). */
    private static long boardRunner(Path dir, String id, long expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long seen = -1;
        while (seen != expected && System.nanoTime() < deadline) {
            for (BoardView.Row r : BoardView.read(dir, System.currentTimeMillis()).rows()) {
                if (r.entry().id().equals(id) && r.entry().running()) {
                    seen = r.entry().runner().pid();
                }
            }
            Thread.onSpinWait();
        }
        return seen;
    }

    /** The board's status of {@code id} once the owner stopped running it (30 s safety net), or null. */
    private static String boardStatusOnceStopped(Path dir, String id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String status = null;
        while (System.nanoTime() < deadline) {
            for (BoardView.Row r : BoardView.read(dir, System.currentTimeMillis()).rows()) {
                if (r.entry().id().equals(id)) {
                    status = r.status();
                    if (!r.entry().running()) {
                        return status;
                    }
                }
            }
            Thread.onSpinWait();
        }
        return status;
    }

    @Test
    void killingAClientInTheMiddleOfItsExecutionLeavesItCrashedForAnotherProcessToResume() throws Exception {
        Path dir = tmp.resolve("v");
        int rows = 100;
        try (ChildJvm owner = ChildJvm.start(RemoteExecChild.class, "own", dir.toString())) {
            owner.awaitLine("READY");
            Set<Long> first;
            try (ChildJvm a = ChildJvm.start(RemoteExecChild.class, "exec", dir.toString(), "t", "" + rows, "55")) {
                a.awaitLine("AT 55");
                assertThat(boardRunner(dir, "exec-t", a.process().pid())).as("the board names the caller as runner")
                        .isEqualTo(a.process().pid());
                a.kill();
                first = calls(a);
            }
            assertThat(boardStatusOnceStopped(dir, "exec-t")).as("the owner's board, once it noticed")
                    .isEqualTo("CRASHED");
            Set<Long> again = ConcurrentHashMap.newKeySet();
            RowBuilder calc = (ctx, row) -> {
                again.add(row);
                return List.of("v" + row);
            };
            try (Vault v = TableVault.open(dir, VaultOptions.defaults().builder("calc", calc))) {
                assertThat(v).isInstanceOf(RemoteVault.class);
                ProcessInfo crashed = v.process("exec-t");
                assertThat(crashed.state()).isEqualTo(ProcessState.RUNNING);
                assertThat(crashed.status()).isEqualTo(ProcessStatus.CRASHED);
                assertThat(v.activeProcesses().get("exec-t").status()).isEqualTo(ProcessStatus.CRASHED);
                assertThat(crashed.runnerPid()).isNotEqualTo(((RemoteVault) v).ownerPid());

                assertThat(v.resumeProcess("exec-t")).isEqualTo("exec-t");
                assertThat(v.process("exec-t").state()).isEqualTo(ProcessState.COMMITTED);
                assertThat(v.dataframe("t", ReadOptions.version("base")).column("text")).isEqualTo(expected(rows));
            }
            Set<Long> both = new HashSet<>(first);
            both.retainAll(again);
            assertThat(both).as("rows built twice").hasSizeLessThanOrEqualTo(RemoteExecChild.CHECKPOINT);
            Set<Long> all = new HashSet<>(first);
            all.addAll(again);
            assertThat(all).hasSize(rows);
            owner.process().getOutputStream().close();
            assertThat(owner.waitExit()).as(owner.output()).isZero();
        }
    }

    @Test
    void killingTheOwnerWhileTwoClientsWriteAndExecuteLosesNothing() throws Exception {
        Path dir = tmp.resolve("v");
        int rows = 200;
        try (ChildJvm owner = ChildJvm.start(RemoteExecChild.class, "own", dir.toString())) {
            owner.awaitLine("READY");
            try (ChildJvm a = ChildJvm.start(RemoteExecChild.class, "work", dir.toString(), "a", "" + rows, "55");
                 ChildJvm b = ChildJvm.start(RemoteExecChild.class, "work", dir.toString(), "b", "" + rows, "55")) {
                awaitAtAndAcks(a);
                awaitAtAndAcks(b);
                owner.kill();
                release(a);
                release(b);
                a.awaitLine("DONE");
                b.awaitLine("DONE");
                awaitAcksAfter(a, "DONE");
                awaitAcksAfter(b, "DONE");
                a.process().getOutputStream().close();
                b.process().getOutputStream().close();
                assertThat(a.waitExit()).as(a.output()).isZero();
                assertThat(b.waitExit()).as(b.output()).isZero();
                String both = a.output() + b.output();
                for (ChildJvm c : List.of(a, b)) { // each execution was cut by the kill and called again
                    assertThat(c.output().lines().filter(l -> l.equals("CHANGED exec")).count()).as(c.output())
                            .isEqualTo(1);
                }
                assertThat(both.lines().filter(l -> l.startsWith("OWNER ")).count()).as(both).isEqualTo(1);
                try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
                    for (ChildJvm c : List.of(a, b)) {
                        for (String table : c.output().lines().filter(l -> l.startsWith("ACK "))
                                .map(l -> l.substring(4)).toList()) {
                            assertThat(v.tables()).as(table).contains(table);
                        }
                    }
                    assertThat(v.activeProcesses()).isEmpty();
                    for (String t : List.of("a", "b")) {
                        assertThat(v.process("exec-" + t).state()).isEqualTo(ProcessState.COMMITTED);
                        assertThat(v.dataframe(t, ReadOptions.version("base")).column("text"))
                                .isEqualTo(expected(rows));
                    }
                    assertThat(v.verify().errors()).isEmpty();
                }
            }
        }
    }

    /** Reads until the child's builder waits at its row and it acknowledged at least three tables. */
    private static void awaitAtAndAcks(ChildJvm c) throws IOException {
        boolean at = false;
        int acks = 0;
        while (!at || acks < 3) {
            String line = c.nextLine();
            assertThat(line).as("child ended:\n%s", c.output()).isNotNull();
            at |= line.startsWith("AT ");
            acks += line.startsWith("ACK ") ? 1 : 0;
        }
    }

    /** Reads until two tables were acknowledged after the line starting with {@code mark} (already read). */
    private static void awaitAcksAfter(ChildJvm c, String mark) throws IOException {
        for (int i = 0; i < 2; i++) {
            c.awaitLine("ACK ");
        }
        assertThat(c.output()).contains(mark);
    }

    /** Lets the child's waiting builder go on. */
    private static void release(ChildJvm c) throws IOException {
        OutputStream in = c.process().getOutputStream();
        in.write("\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
