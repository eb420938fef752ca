package dev.tablevault.engine.exec;

import dev.tablevault.api.Column;
import dev.tablevault.api.ExecutionListener;
import dev.tablevault.engine.board.Board;
import dev.tablevault.engine.codec.Records.BuilderRecord;
import dev.tablevault.engine.codec.Records.DepRecord;
import dev.tablevault.engine.codec.Records.ExecProgress;
import dev.tablevault.engine.codec.Records.ExecuteArgs;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.ChunkTable;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.ref.RefTable;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Reads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state one {@code executeInstance} shares among its parts ({@link ExecuteInstance}, {@link StepRun},
 * {@link Reexecution}): the recorded arguments, the plan, the pinned dependencies, the origin and its clean
 * builders; and, read from an {@link ExecProgress}, where the cells of the instance being built are.
 * {@link ExecuteInstance#validate} fills it; a dormant process (a stop, a restart) has only the progress, so
 * what is needed then is read from the progress, never from the builders' code. Used by one thread.
 */
final class Execution {
    final ExecuteArgs args;
    private final ExecutionListener listener;
    Plan plan;
    List<BuilderRecord> specs;
    List<DepRecord> deps;
    Map<String, RefTable> depTables;
    /** The instance this execution re-executes from, or null. */
    InstanceRecord origin;
    /** Builders whose results are carried over from the origin. */
    Set<String> clean = Set.of();
    private Alignment alignment;
    Backend store;
    /** A reader's snapshot the committed cells are read through; null: the latest state (a running process). */
    Reads snapshot;
    /** Where the execution shows its progress on the live board. */
    Board.Live live = Board.Live.NONE;

    /** {@code listener} may be null. */
    Execution(ExecuteArgs args, ExecutionListener listener) {
        this.args = args;
        this.listener = listener;
    }

    void tell(String builder, int step, long rowsDone, long rows) {
        live.progress(builder, rowsDone, rows);
        if (listener != null) {
            listener.progress(builder, step, plan.steps().size(), rowsDone, rows);
        }
    }

    String temp() {
        return Names.temp(args.version());
    }

    /**
     * True when the clean builders' columns are the origin's own, unchanged: a finished origin and the very
     * same rows. Their cells then stay under the origin's key instead of being copied. Works for a dormant
     * process too (a stop): what it needs is in the progress.
     */
    boolean shares(ProcessContext ctx, ExecProgress p) {
        return shares(ctx.catalog(), ctx.vault.store(), p);
    }

    /** {@link #shares(ProcessContext, ExecProgress)} with the origin read from {@code cat}. */
    private boolean shares(Catalog cat, Backend s, ExecProgress p) {
        if (p.originId() == null || p.step() < 1 || p.clean().isEmpty()) {
            return false;
        }
        if (origin == null) {
            origin = cat.requireInstance(p.originTable(), p.originId());
            clean = Set.copyOf(p.clean());
            store = s;
        }
        return origin.success() && alignment(p).identity();
    }

    /** Per-column cell keys and slots as an instance record holds them (empty lists: all the instance's own). */
    record Stored(List<Long> keys, List<Integer> slots) {
    }

    Stored stored(ProcessContext ctx, ExecProgress p, List<Column> columns) {
        return stored(ctx.catalog(), ctx.vault.store(), p, columns);
    }

    /** {@link #stored(ProcessContext, ExecProgress, List)} with the origin read from {@code cat}. */
    Stored stored(Catalog cat, Backend s, ExecProgress p, List<Column> columns) {
        List<Long> keys = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        if (!columns.isEmpty() && shares(cat, s, p)) {
            long[] k = new long[columns.size()];
            int[] sl = new int[columns.size()];
            layout(cat, s, p, k, sl);
            Arrays.stream(k).forEach(keys::add);
            Arrays.stream(sl).forEach(slots::add);
        }
        return new Stored(keys, slots);
    }

    /** Where each column's cells are: the new key and its position, or the origin's for shared columns. */
    private void layout(Catalog cat, Backend st, ExecProgress p, long[] keys, int[] slots) {
        boolean sharing = shares(cat, st, p);
        int c = 0;
        for (Spec s : ordered(p)) {
            for (Column col : s.columns()) {
                if (c < keys.length) {
                    int oc = origin == null ? -1 : origin.columns().indexOf(col);
                    boolean shared = sharing && clean.contains(s.name()) && oc >= 0;
                    keys[c] = shared ? origin.keyOf(oc) : p.instanceKey();
                    slots[c] = shared ? origin.slotOf(oc) : c;
                }
                c++;
            }
        }
    }

    /** The specs in plan order; from the recorded specs when the code is not at hand (a stop, a restart). */
    List<Spec> ordered(ExecProgress p) {
        if (plan != null) {
            return plan.steps().stream().map(Plan.Step::spec).toList();
        }
        return Plan.order(args.table(), args.version(), p.specs().stream().map(r -> BuilderSpecs.parse(args.table(), r))
                .toList());
    }

    /** The first {@code n} columns of the instance being built, as committed so far. */
    ChunkTable built(ProcessContext ctx, ExecProgress p, List<Column> columns) {
        long[] keys = new long[columns.size()];
        int[] slots = new int[columns.size()];
        layout(ctx.catalog(), ctx.vault.store(), p, keys, slots);
        return new ChunkTable(ctx.vault.store(), keys, slots, columns, Math.max(0, p.rows()));
    }

    /** The alignment of the new rows with the origin's (the index step must have finished). */
    Alignment alignment(ExecProgress p) {
        if (alignment == null) {
            Spec ix = ordered(p).get(0);
            alignment = Alignment.of(store, snapshot == null ? store : snapshot, origin, ix.name(), ix.columns(),
                    ix.primaryKey(), p.instanceKey(), p.indexRows(), ix.keepOld());
        }
        return alignment;
    }

    /** The instance's columns from the recorded specs: a stop or restart may not have the builders' code. */
    List<Column> columns(ExecProgress p) {
        if (plan != null) {
            return plan.columns();
        }
        return Plan.layout(args.table(), args.version(),
                p.specs().stream().map(r -> BuilderSpecs.parse(args.table(), r)).toList());
    }

    /** Rows defined so far: the index's count once known, else what the index step committed. */
    static long rowsOf(ExecProgress p) {
        return p.rows() >= 0 ? p.rows() : p.doneBefore();
    }
}
