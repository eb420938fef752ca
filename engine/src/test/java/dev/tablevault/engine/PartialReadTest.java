package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.InstanceProgress;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.process.CrashPoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Partial reads: the temporary instance of a paused or running process reads as its last checkpoint left it
 * (finished builders' columns complete, the current builder's committed rows, null elsewhere), marked with an
 * {@link InstanceProgress}; in the owner while the process runs, on a read-only handle in another JVM, for a
 * staging {@code writeInstance}; and as before once the process ended.
 */
class PartialReadTest {
    private static final String T = "stories";
    private static final String PID = "job-1";

    @TempDir
    Path dir;

    /** The application's own failure, which pauses a process with a caller id. */
    static final class ServiceDown extends Exception {
        private static final long serialVersionUID = 1L;

        ServiceDown(long row) {
            super("service down at row " + row);
        }
    }

    /** {@code text} = {@code v<id>}; fails at and after {@code failFrom}; runs {@code at} before row {@code atRow}. */
    static final class Text implements RowBuilder {
        volatile long failFrom = Long.MAX_VALUE;
        volatile long atRow = -1;
        volatile Runnable at = () -> { };

        @Override
        public List<Object> build(BuildContext ctx, long row) throws ServiceDown {
            if (row == atRow) {
                at.run();
            }
            if (row >= failFrom) {
                throw new ServiceDown(row);
            }
            return List.of("v" + ctx.value("id", row));
        }
    }

    private final Text text = new Text();
    /** The same code, registered as {@code later}, for a builder after {@code text}. */
    private final Text later = new Text();
    /** A later builder: {@code upper} = the row's text in capitals. */
    private final RowBuilder upper = (ctx, row) -> List.of(String.valueOf(ctx.value("text", row)).toUpperCase());

    private Vault open(boolean create) {
        return TableVault.open(dir.resolve("v"), VaultOptions.defaults().create(create)
                .lockTimeout(java.time.Duration.ZERO).builder("text", text).builder("upper", upper)
                .builder("later", later));
    }

    private static BuilderSpec index(int rows) {
        return BuilderSpec.fromYaml("name: stories_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                + "types: {id: long}\nprimaryKey: [id]\narguments: {count: " + rows + "}\n");
    }

    private static BuilderSpec text(String salt) {
        return BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: text\nchangedColumns: [text]\n"
                + "dependencies: [stories_index]\narguments: {salt: " + salt + "}\n");
    }

    private static final BuilderSpec UPPER = BuilderSpec.fromYaml("name: upper\ntype: column\nbuilder: upper\n"
            + "changedColumns: [upper]\ndependencies: [text]\n");

    private static void setup(Vault v, int rows) {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults().version("base"));
        v.putBuilder(T, "base", index(rows), OpOptions.defaults());
        v.putBuilder(T, "base", text("one"), OpOptions.defaults());
        v.putBuilder(T, "base", UPPER, OpOptions.defaults());
    }

    private static ExecuteOptions every(int rows) {
        return ExecuteOptions.defaults().checkpointRows(rows).checkpointMillis(3_600_000);
    }

    /** {@code prefix<i>} for rows below {@code committed}, null for the rest. */
    private static List<Object> committed(String prefix, int committed, int rows) {
        List<Object> out = new ArrayList<>(Collections.nCopies(rows, null));
        for (int r = 0; r < committed; r++) {
            out.set(r, prefix + r);
        }
        return out;
    }

    private static List<Object> ids(int rows) {
        List<Object> out = new ArrayList<>();
        for (long r = 0; r < rows; r++) {
            out.add(r);
        }
        return out;
    }

    /** Pauses the execution of TEMP_base at row {@code failAt} of builder text; rows below are committed. */
    private void pauseAt(Vault v, long failAt) {
        text.failFrom = failAt;
        catchThrowableOfType(() -> v.executeInstance(T, every(500).processId(PID)), ServiceDown.class);
        assertThat(v.process(PID).state()).isEqualTo(ProcessState.PAUSED);
        text.failFrom = Long.MAX_VALUE;
    }

    /** Reads TEMP_base through dataframe, rows and description, and checks all three show the same. */
    private static Frame readTemp(Vault v, Consumer<InstanceProgress> progress) {
        Frame f = v.dataframe(T, ReadOptions.id("TEMP_base"));
        InstanceDescription d = v.description(T, "TEMP_base");
        assertThat(d.partial()).isTrue();
        assertThat(d.columns()).isEqualTo(f.columns());
        assertThat(d.rows()).isEqualTo(f.rowCount());
        assertThat(d.success()).isFalse();
        progress.accept(d.progress());
        try (RowCursor c = v.rows(T, ReadOptions.id("TEMP_base"))) {
            assertThat(c.progress()).isEqualTo(d.progress());
            List<List<Object>> rows = new ArrayList<>();
            c.forEachRemaining(rows::add);
            assertThat(rows).hasSize(f.rowCount());
            for (int r = 0; r < rows.size(); r++) {
                assertThat(rows.get(r)).as("row %d", r).isEqualTo(f.row(r));
            }
        }
        return f;
    }

    @Test
    void aPausedExecutionReadsItsCommittedRowsAndLaterBuildersAsNull() {
        try (Vault v = open(true)) {
            setup(v, 3000);
            pauseAt(v, 1700); // checkpoints of 500: 0-1499, then 1500-1699 committed before the failure

            Frame f = readTemp(v, p -> assertThat(p).isEqualTo(
                    new InstanceProgress(PID, ProcessState.PAUSED, "text", 1700, 3000)));
            assertThat(f.columnNames()).containsExactly("id", "text", "upper");
            assertThat(f.rowCount()).isEqualTo(3000);
            assertThat(f.column("id")).isEqualTo(ids(3000));
            assertThat(f.column("text")).isEqualTo(committed("v", 1700, 3000));
            assertThat(f.column("upper")).containsOnlyNulls();
        }
    }

    @Test
    void aPausedExecutionInItsLastBuilderShowsTheEarlierColumnsComplete() {
        try (Vault v = open(true)) {
            setup(v, 2000);
            v.putBuilder(T, "base", BuilderSpec.fromYaml("name: upper\ntype: column\nbuilder: later\n"
                    + "changedColumns: [upper]\ndependencies: [text]\n"), OpOptions.defaults());
            later.failFrom = 600;
            catchThrowableOfType(() -> v.executeInstance(T, every(500).processId(PID)), ServiceDown.class);

            Frame f = readTemp(v, p -> assertThat(p).isEqualTo(
                    new InstanceProgress(PID, ProcessState.PAUSED, "upper", 600, 2000)));
            assertThat(f.column("id")).isEqualTo(ids(2000));
            assertThat(f.column("text")).isEqualTo(committed("v", 2000, 2000));
            assertThat(f.column("upper")).isEqualTo(committed("v", 600, 2000));
        }
    }

    @Test
    void anExecutionPausedInItsIndexShowsTheIndexRowsCommittedSoFar() {
        GeneratorBuilder failing = new GeneratorBuilder() {
            @Override
            public void generate(BuildContext ctx, long firstRow, RowSink sink) throws ServiceDown {
                for (long r = firstRow; r < 1000; r++) {
                    if (r == 700) {
                        throw new ServiceDown(r);
                    }
                    sink.accept(List.of(r));
                }
            }
        };
        try (Vault v = TableVault.open(dir.resolve("v"), VaultOptions.defaults().create(true)
                .builder("gen", failing).builder("text", text).builder("upper", upper))) {
            setup(v, 1);
            v.deleteBuilder(T, "base", "stories_index", OpOptions.defaults());
            v.putBuilder(T, "base", BuilderSpec.fromYaml("name: stories_index\ntype: index\nbuilder: gen\n"
                    + "mode: generator\nchangedColumns: [id]\ntypes: {id: long}\n"), OpOptions.defaults());
            catchThrowableOfType(() -> v.executeInstance(T, every(300).processId(PID)), ServiceDown.class);

            Frame f = readTemp(v, p -> assertThat(p).isEqualTo(
                    new InstanceProgress(PID, ProcessState.PAUSED, "stories_index", 700, -1)));
            assertThat(f.column("id")).isEqualTo(ids(700));
            assertThat(f.column("text")).hasSize(700).containsOnlyNulls();
        }
    }

    @Test
    void aRunningExecutionIsReadFromAnotherThreadAtACheckpointBoundary() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        text.atRow = 1000; // rows 0-999 are two committed checkpoints of 500
        text.at = () -> {
            reached.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Vault v = open(true)) {
            setup(v, 2500);
            Future<String> run = pool.submit(() -> v.executeInstance(T, every(500).processId(PID)));
            reached.await();
            try {
                Frame f = readTemp(v, p -> assertThat(p).isEqualTo(
                        new InstanceProgress(PID, ProcessState.RUNNING, "text", 1000, 2500)));
                assertThat(f.column("id")).isEqualTo(ids(2500));
                assertThat(f.column("text")).isEqualTo(committed("v", 1000, 2500));
                assertThat(f.column("upper")).containsOnlyNulls();
            } finally {
                release.countDown();
            }
            run.get();
            // Materialized: the temporary instance is gone, as before.
            TvArgumentException gone = catchThrowableOfType(() -> v.dataframe(T, ReadOptions.id("TEMP_base")),
                    TvArgumentException.class);
            assertThat(gone.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(v.dataframe(T, ReadOptions.latest()).column("upper")).isEqualTo(committed("V", 2500, 2500));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Cells and progress come from one snapshot: a reader racing a many-checkpoint execution sees, every time,
     * exactly as many text values as the progress says are committed.
     */
    @Test
    void aReaderRacingCheckpointsAlwaysSeesCellsAndProgressAgree() throws Exception {
        CountDownLatch readerStarted = new CountDownLatch(1);
        text.atRow = 10;
        text.at = () -> {
            try {
                readerStarted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        // Without fsyncs: the many checkpoints are the point, not their durability.
        try (Vault v = TableVault.open(dir.resolve("v"), VaultOptions.defaults().create(true)
                .durability(Durability.NONE).builder("text", text).builder("upper", upper))) {
            setup(v, 2000);
            Future<String> run = pool.submit(() -> v.executeInstance(T, every(9).processId(PID)));
            int partialReads = 0;
            while (!run.isDone()) {
                try (RowCursor c = v.rows(T, ReadOptions.id("TEMP_base"))) {
                    InstanceProgress p = c.progress();
                    if (p != null && "text".equals(p.builder())) {
                        long texts = 0;
                        while (c.hasNext()) {
                            texts += c.next().get(1) == null ? 0 : 1;
                        }
                        assertThat(texts).isEqualTo(p.committedRows());
                        partialReads++;
                    }
                } catch (TvArgumentException e) {
                    // Its commit may come before the future says done; the history record is in the same batch.
                    assertThat(v.isProcessComplete(PID)).as("TEMP_base vanished before the commit: " + e).isTrue();
                    break;
                }
                if (partialReads > 0) {
                    // The builder waits at row 10 for one read of its step: then the race is on.
                    readerStarted.countDown();
                }
            }
            run.get();
            assertThat(partialReads).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReExecutionShowsTheColumnsItSharesWithItsOrigin() {
        try (Vault v = open(true)) {
            setup(v, 1500);
            v.executeInstance(T, every(500));
            String base = v.instances(T, "base", false).get(0);
            v.createInstance(T, InstanceOptions.defaults().version("base").originId(base));
            // Same index, text clean (its values stay the origin's), upper changed.
            v.putBuilder(T, "base", BuilderSpec.fromYaml("name: upper\ntype: column\nbuilder: text\n"
                    + "changedColumns: [upper]\ndependencies: [stories_index]\narguments: {salt: two}\n"),
                    OpOptions.defaults());
            pauseAt(v, 800);

            Frame f = readTemp(v, p -> assertThat(p).isEqualTo(
                    new InstanceProgress(PID, ProcessState.PAUSED, "upper", 800, 1500)));
            assertThat(f.column("text")).isEqualTo(committed("v", 1500, 1500));
            assertThat(f.column("upper")).isEqualTo(committed("v", 800, 1500));
        }
    }

    @Test
    void onceStoppedTheInstanceReadsAsItWasLeft() {
        try (Vault v = open(true)) {
            setup(v, 1200);
            pauseAt(v, 500);
            assertThat(v.description(T, "TEMP_base").partial()).isTrue();

            v.stopProcess(PID, StopOptions.defaults());
            InstanceDescription reverted = v.description(T, "TEMP_base");
            assertThat(reverted.partial()).as("no process builds it now").isFalse();
            assertThat(reverted.progress()).isNull();
            assertThat(v.dataframe(T, ReadOptions.id("TEMP_base")).column("text"))
                    .isEqualTo(committed("v", 500, 1200));
        }
    }

    @Test
    void onceMaterializedByAStopTheTemporaryInstanceIsGone() {
        try (Vault v = open(true)) {
            setup(v, 1200);
            pauseAt(v, 500);
            assertThat(v.dataframe(T, ReadOptions.id("TEMP_base")).column("text")).isEqualTo(committed("v", 500, 1200));

            v.stopProcess(PID, StopOptions.defaults().materialize(true));
            TvArgumentException gone = catchThrowableOfType(() -> v.description(T, "TEMP_base"),
                    TvArgumentException.class);
            assertThat(gone.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(gone.getMessage()).contains("TEMP_base");
        }
    }

    @Test
    void aStagingWriteInstanceShowsItsStagedRows() {
        int rows = 40_000; // the first checkpoint stages 16,384 of them
        Frame.Builder b = Frame.builder().column("n", ColumnType.LONG);
        for (long r = 0; r < rows; r++) {
            b.row(r);
        }
        try (Vault v = open(true)) {
            v.createTable(T, TableOptions.defaults());
            v.createInstance(T, InstanceOptions.defaults().version("base").externalEdit(true));
            CrashPoints.arm("writeInstance.staged", CrashPoints.Action.THROW);
            try {
                catchThrowableOfType(() -> v.writeInstance(T, b.build(), WriteOptions.defaults().version("base")
                        .processId(PID)), CrashPoints.InjectedFailure.class);
            } finally {
                CrashPoints.disarmAll();
            }
            Frame f = readTemp(v, p -> assertThat(p).isEqualTo(
                    new InstanceProgress(PID, ProcessState.PAUSED, null, 16_384, rows)));
            assertThat(f.rowCount()).isEqualTo(rows);
            assertThat(f.column("n").subList(0, 16_384)).isEqualTo(ids(16_384));
            assertThat(f.column("n").subList(16_384, rows)).containsOnlyNulls();
        }
    }

    @Test
    void aReadOnlyHandleInAnotherJvmReadsTheOwnersRunningExecution() throws Exception {
        Path vault = dir.resolve("v");
        OwnerChild.prepareExecute(vault, 3000);
        // The child's builder blocks at row 1234; checkpoints of 400 committed rows 0-1199.
        try (ChildJvm owner = ChildJvm.start(OwnerChild.class, "execute", vault.toString(), "3000", "400", "1234")) {
            owner.awaitLine("AT ");
            try (Vault ro = TableVault.open(vault, VaultOptions.defaults().readOnly(true))) {
                Frame f = readTemp(ro, p -> assertThat(p).isEqualTo(
                        new InstanceProgress("exec-kill", ProcessState.RUNNING, "text", 1200, 3000)));
                assertThat(f.column("id")).isEqualTo(ids(3000));
                assertThat(f.column("text")).isEqualTo(committed("v", 1200, 3000));
            }
            owner.kill();
        }
    }
}
