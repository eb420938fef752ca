package dev.tablevault.engine.exec;

import dev.tablevault.api.Column;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.codec.Records.ExecProgress;
import dev.tablevault.engine.data.Artifacts;
import dev.tablevault.engine.data.ChunkTable;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.process.Sneaky;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Chunks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PrimitiveIterator;
import java.util.concurrent.TimeUnit;

/**
 * One builder step of an {@link Execution}: runs the builder (row-wise, whole-column or generator) from its
 * first uncommitted row to its end, committing a checkpoint with its {@link ExecProgress} every
 * {@code checkpointRows} rows, {@linkplain ProcessContext#checkpointBytes() checkpointBytes} bytes (about) or
 * {@code checkpointMillis}; rows a clean builder's origin holds are carried,
 * not computed. Finished work is committed before a failure propagates. Used once, by the process's thread.
 */
final class StepRun {
    private final Execution execution;
    private final ProcessContext ctx;
    private final Plan.Step step;
    private final int index;
    private final RowTracker done;
    private final CellWriter writer;
    private final ExecContext bctx;
    private ExecProgress progress;
    private long lastCommit = System.nanoTime();
    /** A clean builder: rows the origin holds are carried, not computed. */
    private final boolean reuse;
    private final ChunkTable old;
    private final int[] oldCols;
    /** Rows carried over since the last checkpoint, marked done without a write. */
    private int skipped;
    /** What a pool thread returns for a clean builder's row that the origin holds (compared by identity). */
    private static final List<Object> CARRIED = new ArrayList<>();
    /** The most rows one batch of {@link CallerCode.BatchRowBuilder} gets. */
    private static final int BATCH = 4096;

    StepRun(Execution execution, ProcessContext ctx, ExecProgress progress, Plan.Step step) {
        this.execution = execution;
        this.ctx = ctx;
        this.progress = progress;
        this.step = step;
        this.index = progress.step();
        this.done = new RowTracker(progress.doneBefore(), progress.doneAfter());
        this.reuse = execution.clean.contains(step.spec().name());
        this.old = reuse ? ChunkTable.of(execution.store, execution.origin) : null;
        this.oldCols = reuse
                ? step.spec().columns().stream().mapToInt(c -> execution.origin.columns().indexOf(c)).toArray()
                : null;
        // Chunks of a clean builder hold carried values, so each one touched is read back first.
        long fresh = reuse ? Long.MAX_VALUE : progress.doneAfter().isEmpty() ? progress.doneBefore()
                : progress.doneAfter().get(progress.doneAfter().size() - 1) + 1;
        this.writer = new CellWriter(ctx.vault.store(), progress.instanceKey(), step.firstColumn(),
                step.spec().columns(), fresh);
        this.bctx = new ExecContext(ctx, execution.args.table(), execution.args.version(), step.spec(),
                progress.rows(),
                execution.built(ctx, progress, execution.plan.columns().subList(0, step.firstColumn())),
                execution.depTables, Artifacts.folder(ctx.vault.artifactHome(), progress.instanceKey()));
    }

    ExecProgress run() throws InterruptedException {
        Spec spec = step.spec();
        if (reuse && execution.alignment(progress).allMapped() && execution.origin.success()) {
            // Every row is the origin's and the origin finished: nothing to compute, one checkpoint.
            progress = progress.at(index + 1, progress.rows(), 0, List.of());
            Batch b = new Batch();
            ctx.checkpoint(b, spec.name() + " carried over", progress, ProcessState.RUNNING);
            execution.tell(spec.name(), index, progress.rows(), progress.rows());
            ctx.crash("step");
            return progress;
        }
        try {
            if (step.builder() instanceof FrameBuilder fb && spec.mode().equals("whole-column")) {
                Frame f = fb.build(bctx);
                checkFrame(f);
                frame(f);
            } else if (step.builder() instanceof GeneratorBuilder gb && spec.mode().equals("generator")) {
                gb.generate(bctx, done.doneBefore(), values -> put(done.doneBefore() + writer.pending(), values));
            } else if (step.builder() instanceof CallerCode.BatchRowBuilder bb) {
                batches(bb);
            } else {
                rows((RowBuilder) step.builder());
            }
        } catch (Exception e) {
            // Never lose finished work: commit what is done before the failure pauses or reverts us (a runner
            // that went away is a crash: nothing more is written).
            if (writer.pending() > 0 && !(e instanceof ProcessContext.StopRequested)
                    && !(e instanceof ProcessContext.RunnerGone)) {
                try {
                    checkpoint();
                } catch (RuntimeException w) {
                    e.addSuppressed(w);
                }
            }
            throw Sneaky.<RuntimeException>rethrow(e);
        }
        checkpoint();
        ctx.checkStop(); // a builder that returned early on a stop request did not finish its rows
        if (index == 0) {
            long n = done.doneBefore();
            progress = progress.indexed(n, n);
            if (execution.origin != null) {
                progress = progress.indexed(n, execution.alignment(progress).rows());
            }
        } else if (done.doneBefore() != progress.rows()) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + spec.name() + "' produced rows up"
                    + " to " + done.doneBefore() + ", the index has " + progress.rows());
        } else {
            progress = progress.at(index + 1, progress.rows(), 0, List.of());
        }
        Batch b = new Batch();
        ctx.checkpoint(b, spec.name() + " done", progress, ProcessState.RUNNING);
        execution.tell(spec.name(), index, progress.rows(), progress.rows());
        ctx.crash("step");
        return progress;
    }

    /**
     * Writes a whole-column frame's rows from the first not committed: one by one up to the next chunk start
     * (that chunk may hold committed rows, read back), then from its vectors, unboxed, checkpointing after the
     * same rows as {@link #put} (by time, at most a chunk later). A clean builder's chunks hold carried values,
     * so its rows all go one by one.
     */
    private void frame(Frame f) {
        int from = (int) done.doneBefore();
        boolean fresh = !reuse && progress.doneAfter().isEmpty();
        int aligned = fresh ? (int) Math.min(f.rowCount(), (from + Chunks.ROWS - 1L) / Chunks.ROWS * Chunks.ROWS)
                : f.rowCount();
        for (int r = from; r < aligned; r++) {
            put(r, f.row(r));
        }
        int every = execution.args.checkpointRows();
        for (int r = aligned; r < f.rowCount(); ) {
            int n = Math.min(Math.min(f.rowCount() - r, Chunks.ROWS - r % Chunks.ROWS),
                    Math.max(1, every - writer.pending()));
            Values.checkObjects(step.spec(), f, r, r + n);
            writer.putFrame(f, r, r + n);
            r += n;
            if (writer.pending() >= every || writer.pendingBytes() >= ctx.checkpointBytes() || System.nanoTime()
                    - lastCommit >= TimeUnit.MILLISECONDS.toNanos(execution.args.checkpointMillis())) {
                checkpoint();
                ctx.checkStop();
            }
        }
    }

    private void checkFrame(Frame f) {
        List<Column> want = step.spec().columns();
        if (!f.columns().equals(want)) {
            throw BuilderSpecs.bad(step.spec().name(), "changedColumns", "declares " + want
                    + ", but the builder returned columns " + f.columns());
        }
        if (index > 0 && f.rowCount() != progress.rows()) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + step.spec().name() + "' returned "
                    + f.rowCount() + " rows; the index has " + progress.rows());
        }
    }

    private void rows(RowBuilder rb) throws Exception {
        PrimitiveIterator.OfLong todo = done.todo(progress.rows());
        int threads = step.spec().threads();
        if (threads == 1) {
            while (todo.hasNext() && !ctx.stopRequested()) {
                long r = todo.nextLong();
                if (!carried(r)) {
                    put(r, rb.build(bctx.forRow(r), r));
                }
            }
            return;
        }
        // The pool's threads take rows themselves, so rows keep starting while this thread commits a checkpoint;
        // the window (rows taken and not yet buffered) covers a checkpoint's rows plus 8 per thread, about 16 ms
        // of 2 ms calls: room for a synced commit on a busy machine. A clean builder's rows are checked on the
        // pool's threads too; the carried ones come back as CARRIED and are marked done here, like computed ones.
        Alignment align = reuse ? execution.alignment(progress) : null;
        Throwable failure = RowThreads.run("tablevault-exec-" + ctx.pid, threads,
                threads * 8 + execution.args.checkpointRows(), () -> todo.hasNext() ? todo.nextLong() : -1,
                ctx::stopRequested, r -> hasOrigin(align, r) ? CARRIED : rb.build(bctx.forRow(r), r),
                (r, values) -> {
                    if (values == CARRIED) {
                        skip(r);
                    } else {
                        put(r, values);
                    }
                });
        if (failure != null) {
            throw Sneaky.<Exception>rethrow(failure);
        }
    }

    /**
     * Row-wise code that runs in the calling OS process: the rows still to build go to it in batches that,
     * with the rows waiting for the next checkpoint, never exceed one checkpoint, so a crash of the caller
     * loses at most one checkpoint of work.
     */
    private void batches(CallerCode.BatchRowBuilder bb) throws Exception {
        PrimitiveIterator.OfLong todo = done.todo(progress.rows());
        while (todo.hasNext() && !ctx.stopRequested()) {
            int room = Math.max(1, Math.min(BATCH, execution.args.checkpointRows() - writer.pending()));
            long[] rows = new long[room];
            int n = 0;
            while (n < room && todo.hasNext()) {
                long r = todo.nextLong();
                if (!carried(r)) {
                    rows[n++] = r;
                }
            }
            if (n == 0) {
                continue;
            }
            rows = Arrays.copyOf(rows, n);
            List<Map<String, Object>> args = new ArrayList<>();
            if (step.spec().args().perRow()) {
                for (long r : rows) {
                    args.add(bctx.forRow(r).arguments());
                }
            } else {
                args.add(bctx.arguments());
            }
            bb.build(bctx, new CallerCode.RowBatch(rows, args, step.spec().threads(),
                    execution.args.checkpointMillis()), this::put);
        }
    }

    /**
     * True (and the row marked done) when a clean builder's row holds the origin's values: the row has an
     * origin row, which a finished origin computed, or which a partial one reached (a value is not null).
     */
    private boolean carried(long row) {
        boolean has = reuse && hasOrigin(execution.alignment(progress), row);
        if (has) {
            skip(row);
        }
        return has;
    }

    /** True when a clean builder's row holds the origin's values ({@code align} null: not a clean builder). */
    private boolean hasOrigin(Alignment align, long row) {
        if (align == null) {
            return false;
        }
        long o = align.origin(row);
        boolean has = o >= 0 && execution.origin.success();
        for (int i = 0; o >= 0 && !has && i < oldCols.length; i++) {
            has = old.value(oldCols[i], o) != null;
        }
        return has;
    }

    private void skip(long row) {
        done.markDone(row);
        skipped++;
        if (skipped + writer.pending() >= execution.args.checkpointRows()) {
            checkpoint();
            ctx.checkStop();
        }
    }

    /** Buffers one row and commits a checkpoint when the batch is full (rows or bytes) or old enough. */
    private void put(long row, List<Object> values) {
        writer.put(row, Values.check(step.spec(), row, values));
        if (writer.pending() >= execution.args.checkpointRows() || writer.pendingBytes() >= ctx.checkpointBytes()
                || System.nanoTime() - lastCommit >= TimeUnit.MILLISECONDS.toNanos(execution.args.checkpointMillis())) {
            checkpoint();
            ctx.checkStop();
        }
    }

    private void checkpoint() {
        if (writer.pending() == 0 && skipped == 0) {
            return;
        }
        skipped = 0;
        long rowsKnown = index == 0 ? -1 : progress.rows();
        Batch b = new Batch();
        for (int i = 0; i < writer.pendingSingles(); i++) {
            done.markDone(writer.pendingRow(i));
        }
        long[] frameRows = writer.pendingFrameRows();
        done.markDone(frameRows[0], frameRows[1]);
        writer.writeTo(b, rowsKnown);
        progress = progress.at(index, progress.rows(), done.doneBefore(), done.doneAfter());
        ctx.checkpoint(b, step.spec().name(), progress, ProcessState.RUNNING);
        writer.closeChunks(done, rowsKnown);
        execution.tell(step.spec().name(), index, done.doneCount(), rowsKnown);
        lastCommit = System.nanoTime();
        ctx.crash("checkpoint");
    }
}
