package dev.tablevault.engine.exec;

import dev.tablevault.api.Builder;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecutionListener;
import dev.tablevault.api.Hint;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.engine.codec.Records.BuilderRecord;
import dev.tablevault.engine.codec.Records.ExecProgress;
import dev.tablevault.engine.codec.Records.ExecuteArgs;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.data.Artifacts;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.MetaWrites;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.process.Materialize;
import dev.tablevault.engine.process.Materialize.Materialization;
import dev.tablevault.engine.process.Op;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code executeInstance}: runs the builders of {@code TEMP_<version>} (the {@link Plan}) into a fresh
 * instance key, committing results in checkpoints of at most {@code checkpointRows} rows or
 * {@code checkpointMillis}, each with its {@link ExecProgress} in one batch; then materializes in one batch.
 * A resume continues at the first uncommitted row of the current builder; the specs are the ones recorded at
 * the start. A revert keeps the partial rows on the temporary instance for inspection; the next execution
 * drops them and starts over. This class is the process's life cycle (locks, validation, the run over the
 * steps, revert and materialization); a step is a {@link StepRun}, the origin and carry-over are
 * {@link Reexecution}'s, and the shared state is an {@link Execution}.
 */
public final class ExecuteInstance extends Op {
    private final ExecuteArgs args;
    private final Execution execution;
    /** The calling OS process's builder code when it is not the owner, or null. */
    private final CallerCode caller;

    public ExecuteInstance(ExecuteArgs args) {
        this(args, null, null);
    }

    /**
     * With {@code listener} (may be null) told of the progress and {@code caller} (may be null) the code of the
     * OS process that asked for it; neither is part of the recorded arguments.
     */
    public ExecuteInstance(ExecuteArgs args, ExecutionListener listener, CallerCode caller) {
        super("executeInstance", args);
        this.caller = caller;
        Names.table(args.table());
        Names.version(args.version());
        this.args = args;
        this.execution = new Execution(args, listener);
    }

    @Override
    public Target target() {
        return new Target(args.table(), args.version());
    }

    @Override
    protected List<LockReq> locks(ProcessContext ctx) {
        // A side-effect table is locked whole: materializing deactivates its other instances.
        return Materialize.locks(ctx, args.table(), args.version(), true);
    }

    /** The first builder code named by the specs the execution runs that this vault's options cannot supply. */
    @Override
    protected String missingCode(ProcessContext ctx) {
        ExecProgress p = ctx.lastProgress(ExecProgress.class);
        var specs = p != null ? p.specs() : ctx.catalog().builders(args.table(), args.version());
        for (var r : specs) {
            Spec s = BuilderSpecs.parse(args.table(), r);
            if (!Plan.hasCode(s, ctx.vault.options().builders())) {
                return s.builder();
            }
        }
        return null;
    }

    @Override
    protected void validate(ProcessContext ctx) throws InterruptedException {
        execution.live = ctx.live();
        Catalog cat = ctx.catalog();
        String temp = execution.temp();
        InstanceRecord t = cat.instanceOfExistingTable(args.table(), temp).orElseThrow(() -> new TvArgumentException(
                ErrorCode.NOT_FOUND, "table '" + args.table() + "' has no temporary instance " + temp)
                .withHint(new Hint(Hint.Action.CREATE_INSTANCE, args.table(), args.version())));
        if (t.externalEdit()) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "instance " + temp + " of table '" + args.table()
                    + "' is external-edit: it has no builders; fill it with writeInstance");
        }
        ExecProgress p = ctx.lastProgress(ExecProgress.class);
        execution.specs = p != null ? p.specs() : cat.builders(args.table(), args.version());
        List<Spec> parsed = execution.specs.stream().map(r -> BuilderSpecs.parse(args.table(), r)).toList();
        Map<String, Builder> code = new HashMap<>(ctx.vault.options().builders());
        boolean callers = false;
        for (Spec s : parsed) {
            Builder b = caller == null ? null : caller.builder(s.builder());
            if (b != null) {
                code.put(s.builder(), b);
                callers = true;
            }
        }
        execution.plan = Plan.of(args.table(), args.version(), parsed, code);
        execution.plan.columns().stream().filter(c -> c.type() == ColumnType.ARTIFACT).findFirst().ifPresent(c ->
                ctx.vault.requireArtifactRoot("ARTIFACT column '" + c.name() + "' of table '" + args.table() + "'"));
        if (callers) {
            ctx.runBy(caller.runner()); // its code runs there: if that process dies, this one crashed
        }
        // Resolved once, at the start; a resume reads the very instances the start resolved.
        execution.deps = p != null ? p.deps() : Dependencies.resolve(cat, args.table(), parsed);
        for (LockReq r : Dependencies.locks(execution.deps)) {
            ctx.vault.lockManager().acquire(ctx.pid, r.resource(), r.mode(), ctx.vault.options().lockTimeout());
        }
        execution.store = ctx.vault.store();
        execution.depTables = Dependencies.tables(execution.store, cat, execution.deps);
        if (p != null) {
            execution.origin = p.originId() == null ? null : cat.requireInstance(p.originTable(), p.originId());
            execution.clean = Set.copyOf(p.clean());
        } else if (!args.force()) {
            execution.origin = Reexecution.chooseOrigin(cat, execution, t);
            execution.clean = execution.origin == null ? Set.of() : Reexecution.cleanBuilders(cat, execution);
        }
        if (execution.origin != null) {
            InstanceRecord o = execution.origin;
            ctx.vault.lockManager().acquire(ctx.pid, LockManager.instance(o.table(), o.id()), LockMode.SHARED,
                    ctx.vault.options().lockTimeout());
            // Chosen before the lock was held: make sure it was not deleted in between.
            execution.origin = cat.requireInstance(o.table(), o.id());
        }
    }

    @Override
    protected boolean canMaterialize() {
        return true;
    }

    @Override
    protected void run(ProcessContext ctx) throws InterruptedException {
        Plan plan = execution.plan;
        ExecProgress p = ctx.lastProgress(ExecProgress.class);
        if (p == null) {
            p = new ExecProgress(ctx.vault.nextInstanceKey(), args.version() + "_" + ctx.started + "_"
                    + String.format("%08x", ThreadLocalRandom.current().nextInt()), ctx.started, execution.specs,
                    execution.deps, execution.origin == null ? null : execution.origin.table(),
                    execution.origin == null ? null : execution.origin.id(),
                    execution.clean.stream().sorted().toList(), 0, -1, 0, 0, 0, List.of());
            Batch b = new Batch();
            dropLeftovers(ctx, b);
            ctx.checkpoint(b, "plan", p, ProcessState.RUNNING);
        }
        if (p.step() == 0) {
            p = new StepRun(execution, ctx, p, plan.steps().get(0)).run();
        }
        if (execution.origin != null && p.carried() < p.rows()) {
            p = Reexecution.carry(ctx, execution, p);
        }
        for (int i = p.step(); i < plan.steps().size(); i++) {
            p = new StepRun(execution, ctx, p, plan.steps().get(i)).run();
        }
        ExecProgress done = p;
        // Carried-over values name files in the origin's folder or the table's current artifact folder.
        List<Long> carriedFrom = new ArrayList<>();
        if (execution.origin != null && execution.origin.key() != 0) {
            carriedFrom.add(execution.origin.key());
        }
        String current = ctx.catalog().requireTable(args.table()).artifactInstance();
        if (current != null) {
            ctx.catalog().instance(args.table(), current).filter(r -> r.key() != 0)
                    .ifPresent(r -> carriedFrom.add(r.key()));
        }
        Artifacts.check(ctx.vault.artifactHome(), p.instanceKey(), execution.built(ctx, p, plan.columns()),
                carriedFrom.stream().map(k -> Artifacts.folder(ctx.vault.artifactHome(), k)).toList(), Artifacts.Source.BUILDER);
        ctx.commit(b -> materialize(ctx, b, done, true, carriedFrom));
    }

    /** Removes the partial rows a reverted earlier execution left on the temporary instance. */
    private void dropLeftovers(ProcessContext ctx, Batch b) {
        InstanceRecord t = ctx.catalog().requireInstance(args.table(), execution.temp());
        if (t.key() != 0) {
            Backend s = ctx.vault.store();
            b.deleteRange(Family.DATA, Keys.instanceStart(t.key()), Keys.instanceStart(t.key() + 1));
            ctx.onDurable(() -> Artifacts.delete(ctx.vault.artifactHome(), t.key()));
            MetaWrites.put(s, b, Keys.instance(args.table(), execution.temp()), new TempData(List.of(), 0, 0, true,
                    new Execution.Stored(List.of(), List.of())).on(t));
        }
    }

    /** What the temporary instance's record says of the rows an execution left on it. */
    private record TempData(List<Column> columns, long rows, long key, boolean success, Execution.Stored at) {
        /** {@code t} holding this data. */
        InstanceRecord on(InstanceRecord t) {
            return t.holding(columns, rows, key, success, at.keys(), at.slots());
        }
    }

    @Override
    protected void revert(ProcessContext ctx, Batch b) {
        ExecProgress p = ctx.lastProgress(ExecProgress.class);
        if (p == null) {
            return;
        }
        List<Column> columns = execution.columns(p);
        Execution.Stored at = execution.stored(ctx, p, columns);
        ctx.catalog().instance(args.table(), execution.temp()).ifPresent(t -> MetaWrites.put(ctx.vault.store(), b,
                Keys.instance(args.table(), execution.temp()), new TempData(columns, Execution.rowsOf(p),
                p.instanceKey(), false, at).on(t)));
    }

    @Override
    protected void materializePartial(ProcessContext ctx, Batch b) {
        ExecProgress p = ctx.lastProgress(ExecProgress.class);
        if (p == null) {
            p = new ExecProgress(0, args.version() + "_" + ctx.started + "_"
                    + String.format("%08x", ThreadLocalRandom.current().nextInt()), ctx.started, List.of(), List.of(),
                    null, null, List.of(), 0, 0, 0, 0, 0, List.of());
        }
        materialize(ctx, b, p, false, List.of());
    }

    /**
     * The one-batch flip, with the checksums of the files in the instance's folder (those linked from a folder
     * of a key in {@code carriedFrom} keep its recorded ones).
     */
    private void materialize(ProcessContext ctx, Batch b, ExecProgress p, boolean success,
                             List<Long> carriedFrom) {
        Artifacts.seal(ctx.vault.store(), ctx.vault.artifactHome(), ctx.vault.options().durability(), b, p.instanceKey(),
                carriedFrom);
        List<Column> columns = p.specs().isEmpty() ? List.of() : execution.columns(p);
        List<String> changed = columns.stream().map(Column::name).toList();
        if (success && execution.origin != null && execution.alignment(p).identity()) {
            // The origin's rows, so only recomputed columns (and, from a partial origin, filled ones) changed.
            changed = execution.plan.steps().stream().map(Plan.Step::spec).filter(sp -> !sp.index()
                    && (!execution.clean.contains(sp.name()) || !execution.origin.success()))
                    .flatMap(sp -> sp.columns().stream()).map(Column::name).toList();
        }
        Execution.Stored at = execution.stored(ctx, p, columns);
        Materialize.flip(ctx, b, new Materialization(args.table(), args.version(), p.newId(), p.instanceKey(), columns,
                changed, Execution.rowsOf(p), success, p.deps(), at.keys(), at.slots(), p.originTable(), p.originId()));
        Backend s = ctx.vault.store();
        for (BuilderRecord r : p.specs()) {
            b.delete(Family.META, Keys.builder(args.table(), args.version(), r.name()));
            MetaWrites.put(s, b, Keys.builder(args.table(), p.newId(), r.name()), r);
        }
    }

}
