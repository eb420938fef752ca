package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.ExecutionListener;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A row-wise builder on many threads: rows keep starting across checkpoint boundaries (while the process thread
 * commits, and while the slowest row of a checkpoint's range still runs), a failing row pauses with exactly the
 * committed rows kept, and a {@code kill -9} in the middle of a run resumes to the same column, computing only the
 * rows the last checkpoint had not committed. Latches, not sleeps: a latch that would wait forever fails the test
 * after a minute (a safety net, not a timing assertion). The first two run 10 times, as the order in which the
 * threads finish differs from run to run.
 */
class ThreadedRowsTest {
    static final String T = "stories";

    @TempDir
    Path dir;

    /** Row {@code r} is {@code "v" + r}; counts the calls per row. */
    static final class Counting implements RowBuilder {
        final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
        volatile long failAt = -1;

        @Override
        public List<Object> build(BuildContext ctx, long row) throws ExecuteInstanceTest.ServiceDown {
            calls.computeIfAbsent(row, r -> new AtomicInteger()).incrementAndGet();
            if (row == failAt) {
                throw new ExecuteInstanceTest.ServiceDown("service down at row " + row);
            }
            return List.of("v" + row);
        }
    }

    static void setup(Vault v, int rows, int threads) {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults().version("base"));
        v.putBuilder(T, "base", BuilderSpec.fromYaml("name: stories_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + rows + "}\n"), OpOptions.defaults());
        v.putBuilder(T, "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: b\nchangedColumns: [text]\n"
                + "dependencies: [stories_index]\nthreads: " + threads + "\n"), OpOptions.defaults());
    }

    static List<Object> expected(int rows) {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            l.add("v" + i);
        }
        return l;
    }

    private Vault open(RowBuilder b) {
        return TableVault.open(dir.resolve("v"), VaultOptions.defaults().create(true).builder("b", b));
    }

    private static boolean await(CountDownLatch l) throws InterruptedException {
        return l.await(1, TimeUnit.MINUTES);
    }

    /**
     * 2 threads, checkpoints of 4 rows: while the process thread is inside the first checkpoint of the column
     * step (its listener waits there), row 14 starts. Before, rows were handed to the pool by the process thread
     * only, at most 8 ahead of those it had taken, so no row above 11 could start until the checkpoint ended.
     */
    @RepeatedTest(10)
    void rowsStartWhileTheProcessThreadCommitsACheckpoint() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        RowBuilder b = (ctx, row) -> {
            if (row == 14) {
                started.countDown();
            }
            return List.of("v" + row);
        };
        boolean[] seen = new boolean[2];
        ExecutionListener inCheckpoint = (builder, step, steps, done, all) -> {
            if (step == 1 && done > 0 && done < all && !seen[0]) {
                seen[0] = true;
                try {
                    seen[1] = await(started);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (Vault v = open(b)) {
            setup(v, 40, 2);
            v.executeInstance(T, ExecuteOptions.defaults().checkpointRows(4).checkpointMillis(3_600_000)
                    .listener(inCheckpoint));
            assertThat(seen[0]).as("the listener ran inside a checkpoint of the column step").isTrue();
            assertThat(seen[1]).as("row 14 started while the first checkpoint was being committed").isTrue();
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(40));
        }
    }

    /**
     * 4 threads, checkpoints of 4 rows: row 1, the slowest of the first checkpoint's rows, finishes only once row
     * 9 (two checkpoints further) has started; the run completes with every row.
     */
    @RepeatedTest(10)
    void rowsBeyondACheckpointStartBeforeItsSlowestRowFinishes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        boolean[] ok = new boolean[1];
        RowBuilder b = (ctx, row) -> {
            if (row == 9) {
                started.countDown();
            }
            if (row == 1) {
                ok[0] = await(started);
            }
            return List.of("v" + row);
        };
        try (Vault v = open(b)) {
            setup(v, 60, 4);
            v.executeInstance(T, ExecuteOptions.defaults().checkpointRows(4).checkpointMillis(3_600_000));
            assertThat(ok[0]).as("row 9 started while row 1 ran").isTrue();
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(60));
        }
    }

    /**
     * 32 threads, checkpoints of 50 rows, row 700 fails: the process pauses with the rows committed so far, which
     * a partial read shows with their values; the resume computes exactly the other rows, each once.
     */
    @Test
    void aFailingRowOnManyThreadsPausesWithTheCommittedRowsAndResumesTheRest() {
        Counting b = new Counting();
        b.failAt = 700;
        int rows = 2000;
        try (Vault v = open(b)) {
            setup(v, rows, 32);
            Throwable e = catchThrowable(() -> v.executeInstance(T, ExecuteOptions.defaults().processId("p1")
                    .checkpointRows(50).checkpointMillis(3_600_000)));
            assertThat(e).isInstanceOf(ExecuteInstanceTest.ServiceDown.class);
            assertThat(v.process("p1").state()).isEqualTo(ProcessState.PAUSED);
            List<Object> partial = v.dataframe(T, ReadOptions.id("TEMP_base")).column("text");
            Map<Long, Integer> before = new HashMap<>();
            int committed = 0;
            for (int r = 0; r < rows; r++) {
                if (partial.get(r) != null) {
                    assertThat(partial.get(r)).isEqualTo("v" + r);
                    committed++;
                }
                AtomicInteger c = b.calls.get((long) r);
                before.put((long) r, c == null ? 0 : c.get());
            }
            assertThat(partial.get(700)).isNull();
            assertThat(committed).as("rows finished before the failure were committed").isGreaterThanOrEqualTo(700);
            b.failAt = -1;
            v.resumeProcess("p1");
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(rows));
            for (int r = 0; r < rows; r++) {
                int again = b.calls.get((long) r).get() - before.get((long) r);
                assertThat(again).as("calls of row %d on resume", r).isEqualTo(partial.get(r) == null ? 1 : 0);
            }
        }
    }

    /**
     * A child JVM runs 2,000 rows on 32 threads, checkpoints of 50; rows from 1,234 on wait forever, so the child
     * is killed ({@code kill -9}) with rows running and finished rows not yet committed. Reopened with restart: the partial column holds exactly the
     * committed rows (at least those the child reported), the restart computes each other row once, and the
     * column equals an uninterrupted run's.
     */
    @Test
    void aKillMidRunOnManyThreadsResumesWithExactlyTheCommittedRows() throws Exception {
        int rows = 2000;
        Path vault = dir.resolve("v");
        try (Vault v = open(new Counting())) {
            setup(v, rows, 32);
        }
        long reported;
        try (ChildJvm child = ChildJvm.start(ThreadedRowsChild.class, vault.toString(), Integer.toString(rows))) {
            String line;
            do {
                line = child.awaitLine("DONE ");
                reported = Long.parseLong(line.substring(5));
            } while (reported < 1000);
            child.kill();
        }
        Counting b = new Counting();
        List<Object> partial;
        try (Vault v = TableVault.open(vault, VaultOptions.defaults().builder("b", b))) {
            partial = v.dataframe(T, ReadOptions.id("TEMP_base")).column("text");
        }
        long committed = 0;
        for (int r = 0; r < rows; r++) {
            if (partial.get(r) != null) {
                assertThat(partial.get(r)).isEqualTo("v" + r);
                committed++;
            }
        }
        assertThat(committed).isGreaterThanOrEqualTo(reported).isLessThanOrEqualTo(ThreadedRowsChild.BLOCKED);
        try (Vault v = TableVault.open(vault, VaultOptions.defaults().restart(true).builder("b", b))) {
            assertThat(v.isProcessComplete(ThreadedRowsChild.PID)).isTrue();
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(rows));
            assertThat(v.verify().errors()).isEmpty();
        }
        for (int r = 0; r < rows; r++) {
            AtomicInteger c = b.calls.get((long) r);
            assertThat(c == null ? 0 : c.get()).as("calls of row %d after the restart", r)
                    .isEqualTo(partial.get(r) == null ? 1 : 0);
        }
    }
}
