package dev.tablevault.engine.ops;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.Hint;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.WriteInstanceArgs;
import dev.tablevault.engine.codec.Records.WriteProgress;
import dev.tablevault.engine.data.Artifacts;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.ChunkTable;
import dev.tablevault.engine.data.FrameStore;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.process.Materialize;
import dev.tablevault.engine.process.Materialize.Materialization;
import dev.tablevault.engine.process.Op;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code writeInstance}: stages the frame's rows under a fresh instance key in checkpointed batches (SETUP),
 * then materializes the external-edit temporary instance in one batch. A revert drops the staged cells; a
 * stop with materialize keeps the rows staged so far as an unsuccessful instance.
 */
public final class WriteInstance extends Op {
    /** Rows per checkpoint batch. */
    public static final int BATCH_ROWS = 16 * 1024;
    private final WriteInstanceArgs args;
    private final Frame frame;

    /** From a call: validates names and the frame. */
    public WriteInstance(String table, String version, Frame frame) {
        super("writeInstance", validArgs(table, version, frame));
        this.args = (WriteInstanceArgs) args();
        this.frame = frame;
    }

    /** From the log: the frame is not at hand. */
    public WriteInstance(WriteInstanceArgs args) {
        super("writeInstance", args);
        this.args = args;
        this.frame = null;
    }

    private static WriteInstanceArgs validArgs(String table, String version, Frame frame) {
        Names.table(table);
        Names.version(version);
        if (frame == null) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "writeInstance of table '" + table
                    + "' needs a frame, got null");
        }
        if (frame.rowCount() == 0 || frame.columnCount() == 0) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "writeInstance of table '" + table
                    + "': the frame is empty (" + frame.rowCount() + " rows, " + frame.columnCount() + " columns)");
        }
        frame.columns().forEach(c -> Names.column(c.name()));
        return new WriteInstanceArgs(table, version, FrameStore.digest(frame), frame.columns(), frame.rowCount());
    }

    @Override
    protected boolean stagesInSetup() {
        return true;
    }

    @Override
    protected boolean canMaterialize() {
        return true;
    }

    @Override
    protected void checkResumable(ProcessContext ctx) {
        if (!ctx.setupDone() && frame == null) {
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "process " + ctx.pid + " (writeInstance of '"
                    + args.table() + "') paused before its frame was fully staged")
                    .withHint(new Hint(Hint.Action.WRITE_AGAIN_OR_STOP, ctx.pid, null));
        }
    }

    private String temp() {
        return Names.temp(args.version());
    }

    @Override
    public Target target() {
        return new Target(args.table(), temp());
    }

    @Override
    protected List<LockReq> locks(ProcessContext ctx) {
        return Materialize.locks(ctx, args.table(), args.version(), false);
    }

    @Override
    protected void validate(ProcessContext ctx) {
        Catalog cat = ctx.catalog();
        InstanceRecord t = cat.instanceOfExistingTable(args.table(), temp()).orElseThrow(() -> new TvArgumentException(
                ErrorCode.NOT_FOUND, "table '" + args.table() + "' has no temporary instance " + temp())
                .withHint(new Hint(Hint.Action.CREATE_EXTERNAL_INSTANCE, args.table(), args.version())));
        if (!t.externalEdit()) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "instance " + temp() + " of table '" + args.table()
                    + "' is not external-edit; create it with InstanceOptions.externalEdit(true) to write it");
        }
        args.columns().stream().filter(c -> c.type() == ColumnType.ARTIFACT).findFirst().ifPresent(c ->
                ctx.vault.requireArtifactRoot("ARTIFACT column '" + c.name() + "' of table '" + args.table() + "'"));
    }

    @Override
    protected void run(ProcessContext ctx) {
        WriteProgress p = ctx.lastProgress(WriteProgress.class);
        if (p == null) {
            p = new WriteProgress(ctx.vault.nextInstanceKey(), newId(ctx), ctx.started, 0);
        }
        Backend s = ctx.vault.store();
        int rows = (int) args.rows();
        while (!ctx.setupDone()) {
            ctx.checkStop();
            int from = (int) p.rows();
            Batch b = new Batch();
            int to = FrameStore.putRows(b, p.instanceKey(), frame, from, Math.min(rows, from + BATCH_ROWS),
                    ctx.checkpointBytes());
            p = new WriteProgress(p.instanceKey(), p.newId(), p.startTime(), to);
            ctx.setupDone(to == rows);
            ctx.checkpoint(b, "stage", p, ctx.setupDone() ? ProcessState.RUNNING : ProcessState.SETUP);
            ctx.live().progress("stage", to, rows);
            ctx.crash("staged");
        }
        WriteProgress done = p;
        if (args.columns().stream().anyMatch(c -> c.type() == ColumnType.ARTIFACT)) {
            Artifacts.check(ctx.vault.artifactHome(), p.instanceKey(),
                    new ChunkTable(s, p.instanceKey(), args.columns(), p.rows()),
                    List.of(Artifacts.staging(ctx.vault.artifactHome(), args.table(), temp())), Artifacts.Source.WRITE);
        }
        ctx.commit(b -> materialize(ctx, b, done, true));
    }

    private String newId(ProcessContext ctx) {
        return args.version() + "_" + ctx.started + "_" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /**
     * Drops the staged cells, and at once the artifact files the check linked into the new instance's folder:
     * no record ever pointed at that folder, and the staged originals stay in the staging folder.
     */
    @Override
    protected void revert(ProcessContext ctx, Batch b) {
        WriteProgress p = ctx.lastProgress(WriteProgress.class);
        if (p != null) {
            b.deleteRange(Family.DATA, Keys.instanceStart(p.instanceKey()),
                    Keys.instanceStart(p.instanceKey() + 1));
            Artifacts.delete(ctx.vault.artifactHome(), p.instanceKey());
        }
    }

    @Override
    protected void materializePartial(ProcessContext ctx, Batch b) {
        WriteProgress p = ctx.lastProgress(WriteProgress.class);
        if (p == null) {
            p = new WriteProgress(0, newId(ctx), ctx.started, 0);
        }
        materialize(ctx, b, p, false);
    }

    /**
     * The one-batch flip of a written frame, with the checksums of the files in the instance's folder. The
     * staging folder goes once the flip is durable: a successful write linked its files into that folder. A
     * partial one (stop with materialize) keeps no artifacts; its staging folder stays until the version's next
     * external-edit instance is created.
     */
    private void materialize(ProcessContext ctx, Batch b, WriteProgress p, boolean success) {
        Artifacts.seal(ctx.vault.store(), ctx.vault.artifactHome(), ctx.vault.options().durability(), b, p.instanceKey(),
                List.of());
        if (success) {
            Path staging = Artifacts.staging(ctx.vault.artifactHome(), args.table(), temp());
            ctx.onDurable(() -> Artifacts.deleteTree(staging));
        }
        Catalog cat = ctx.catalog();
        InstanceRecord temp = cat.requireInstance(args.table(), temp());
        InstanceRecord origin = temp.originId() == null ? null
                : cat.instance(temp.originTable(), temp.originId()).orElse(null);
        Materialize.flip(ctx, b, new Materialization(args.table(), args.version(), p.newId(), p.instanceKey(),
                args.columns(), changedColumns(ctx.vault.store(), origin, p), p.rows(), success, List.of(), List.of(),
                List.of(), null, null));
    }

    /** Columns that are new or differ from the origin's; all of them without an origin or when rows differ. */
    private List<String> changedColumns(Backend s, InstanceRecord origin, WriteProgress p) {
        List<String> all = args.columns().stream().map(Column::name).toList();
        if (origin == null || origin.rows() != p.rows()) {
            return all;
        }
        Set<String> changed = new HashSet<>();
        for (int c = 0; c < args.columns().size(); c++) {
            Column col = args.columns().get(c);
            int oc = origin.columns().indexOf(col);
            if (oc < 0) {
                changed.add(col.name());
                continue;
            }
            ColumnVector mine = FrameStore.readColumn(s, s, p.instanceKey(), c, col, p.rows(), true,
                    "the staged rows of " + temp());
            ColumnVector theirs = FrameStore.readColumn(s, s, origin.keyOf(oc), origin.slotOf(oc), col,
                    origin.rows(), origin.success(), FrameStore.owner(origin));
            for (int r = 0; r < mine.size(); r++) {
                if (!mine.valueEquals(r, theirs, r)) {
                    changed.add(col.name());
                    break;
                }
            }
        }
        return all.stream().filter(changed::contains).toList();
    }
}
