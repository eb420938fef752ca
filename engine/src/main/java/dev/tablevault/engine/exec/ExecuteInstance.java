package dev.tablevault.engine.exec;

import dev.tablevault.api.Column;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecutionListener;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.codec.Records.BuilderRecord;
import dev.tablevault.engine.codec.Records.DepRecord;
import dev.tablevault.engine.codec.Records.ExecProgress;
import dev.tablevault.engine.codec.Records.ExecuteArgs;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.data.Artifacts;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.ChunkTable;
import dev.tablevault.engine.data.FrameStore;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.ops.TableOps;
import dev.tablevault.engine.ops.WriteInstance;
import dev.tablevault.engine.process.Op;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.process.Sneaky;
import dev.tablevault.engine.ref.Ref;
import dev.tablevault.engine.ref.RefTable;
import dev.tablevault.engine.ref.Template;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.Store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.PrimitiveIterator;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code executeInstance}: runs the builders of {@code TEMP_<version>} (the {@link Plan}) into a fresh
 * instance key, committing results in checkpoints of at most {@code checkpointRows} rows or
 * {@code checkpointMillis}, each with its {@link ExecProgress} in one batch; then materializes in one batch.
 * A resume continues at the first uncommitted row of the current builder; the specs are the ones recorded at
 * the start. A revert keeps the partial rows on the temporary instance for inspection; the next execution
 * drops them and starts over.
 */
public final class ExecuteInstance extends Op {
    private final ExecuteArgs args;
    private final ExecutionListener listener;
    private Plan plan;
    private List<BuilderRecord> specs;
    private List<DepRecord> deps;
    private Map<String, RefTable> depTables;
    /** The instance this execution re-executes from, or null. */
    private InstanceRecord origin;
    /** Builders whose results are carried over from the origin. */
    private Set<String> clean = Set.of();
    private Alignment alignment;
    private Store store;

    public ExecuteInstance(ExecuteArgs args) {
        this(args, null);
    }

    /** With {@code listener} (may be null) told of the progress; it is not part of the recorded arguments. */
    public ExecuteInstance(ExecuteArgs args, ExecutionListener listener) {
        super("executeInstance", args);
        Names.table(args.table());
        Names.version(args.version());
        this.args = args;
        this.listener = listener;
    }

    private void tell(String builder, int step, long rowsDone, long rows) {
        if (listener != null) {
            listener.progress(builder, step, plan.steps().size(), rowsDone, rows);
        }
    }

    private String temp() {
        return Names.temp(args.version());
    }

    @Override
    protected List<LockReq> locks(ProcessContext ctx) {
        // A side-effect table is locked whole: materializing deactivates its other instances.
        return WriteInstance.materializeLocks(ctx, args.table(), args.version(), true);
    }

    @Override
    protected void validate(ProcessContext ctx) throws InterruptedException {
        Catalog cat = ctx.catalog();
        cat.requireTable(args.table());
        InstanceRecord t = cat.instance(args.table(), temp()).orElseThrow(() -> new TvArgumentException(
                ErrorCode.NOT_FOUND, "table '" + args.table() + "' has no temporary instance " + temp()
                + "; createInstance(\"" + args.table() + "\", InstanceOptions.defaults().version(\"" + args.version()
                + "\")) and putBuilder first"));
        if (t.externalEdit()) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "instance " + temp() + " of table '" + args.table()
                    + "' is external-edit: it has no builders; fill it with writeInstance");
        }
        ExecProgress p = (ExecProgress) ctx.lastProgress;
        specs = p != null ? p.specs() : cat.builders(args.table(), args.version());
        List<Spec> parsed = specs.stream().map(r -> BuilderSpecs.parse(args.table(), r)).toList();
        plan = Plan.of(args.table(), args.version(), parsed, ctx.vault.options().builders());
        // Resolved once, at the start; a resume reads the very instances the start resolved.
        deps = p != null ? p.deps() : Dependencies.resolve(cat, args.table(), parsed);
        for (LockReq r : Dependencies.locks(deps)) {
            ctx.vault.lockManager().acquire(ctx.pid, r.resource(), r.mode(), ctx.vault.options().lockTimeout());
        }
        store = ctx.vault.store();
        depTables = Dependencies.tables(store, cat, deps);
        if (p != null) {
            origin = p.originId() == null ? null : cat.requireInstance(p.originTable(), p.originId());
            clean = Set.copyOf(p.clean());
        } else if (!args.force()) {
            origin = chooseOrigin(cat, t);
            clean = origin == null ? Set.of() : cleanBuilders(cat);
        }
        if (origin != null) {
            ctx.vault.lockManager().acquire(ctx.pid, LockManager.instance(origin.table(), origin.id()), LockMode.SHARED,
                    ctx.vault.options().lockTimeout());
            // Chosen before the lock was held: make sure it was not deleted in between.
            origin = cat.requireInstance(origin.table(), origin.id());
        }
    }

    /**
     * The origin: the one {@code createInstance} named, else the latest active instance of this version, else
     * the latest active instance of any version.
     */
    private InstanceRecord chooseOrigin(Catalog cat, InstanceRecord temp) {
        if (temp.originId() != null) {
            return cat.instance(temp.originTable(), temp.originId()).orElse(null);
        }
        InstanceRecord sameVersion = null;
        InstanceRecord any = null;
        for (InstanceRecord r : cat.instances(args.table())) {
            if (!r.temporary() && r.active()) {
                any = r;
                if (r.version().equals(args.version())) {
                    sameVersion = r;
                }
            }
        }
        return sameVersion != null ? sameVersion : any;
    }

    /**
     * Column builders whose results the origin already holds: the origin ran a spec that says the same (code
     * version included), has their columns with the same types, every dependency resolves to the instance it
     * resolved to for the origin, and every builder they depend on (other than the index) is clean too.
     */
    private Set<String> cleanBuilders(Catalog cat) {
        Map<String, BuilderRecord> was = new HashMap<>();
        cat.builders(origin.table(), origin.id()).forEach(r -> was.put(r.name(), r));
        Map<String, BuilderRecord> now = new HashMap<>();
        specs.forEach(r -> now.put(r.name(), r));
        Map<String, String> builtBy = new HashMap<>();
        plan.steps().forEach(st -> st.spec().columns().forEach(c -> builtBy.put(c.name(), st.spec().name())));
        Map<String, String> depsNow = Dependencies.byKey(deps);
        Map<String, String> depsThen = Dependencies.byKey(origin.dependencies());
        String index = plan.steps().get(0).spec().name();
        Set<String> out = new HashSet<>();
        for (Plan.Step st : plan.steps().subList(1, plan.steps().size())) {
            Spec s = st.spec();
            BuilderRecord then = was.get(s.name());
            boolean ok = then != null && BuilderSpecs.same(then, now.get(s.name()))
                    && origin.columns().containsAll(s.columns());
            for (String d : s.dependencies()) {
                if (!ok || d.equals("self.index")) {
                    continue;
                }
                String target = now.containsKey(d) ? d : d.startsWith("self.") ? builtBy.get(d.substring(5)) : null;
                if (target != null) {
                    ok = target.equals(index) || out.contains(target);
                } else {
                    String k = Dependencies.externalKey(d);
                    ok = sameData(cat, d, depsNow.get(k), depsThen.get(k));
                }
            }
            if (ok) {
                out.add(s.name());
            }
        }
        return out;
    }

    /**
     * True when the clean builders' columns are the origin's own, unchanged: a finished origin and the very
     * same rows. Their cells then stay under the origin's key instead of being copied. Works for a dormant
     * process too (a stop): what it needs is in the progress.
     */
    private boolean shares(ProcessContext ctx, ExecProgress p) {
        if (p.originId() == null || p.step() < 1 || p.clean().isEmpty()) {
            return false;
        }
        if (origin == null) {
            origin = ctx.catalog().requireInstance(p.originTable(), p.originId());
            clean = Set.copyOf(p.clean());
            store = ctx.vault.store();
        }
        return origin.success() && alignment(p).identity();
    }

    /** Per-column cell keys and slots as an instance record holds them (empty lists: all the instance's own). */
    private record Stored(List<Long> keys, List<Integer> slots) {
    }

    private Stored stored(ProcessContext ctx, ExecProgress p, List<Column> columns) {
        List<Long> keys = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        if (!columns.isEmpty() && shares(ctx, p)) {
            long[] k = new long[columns.size()];
            int[] sl = new int[columns.size()];
            layout(ctx, p, k, sl);
            Arrays.stream(k).forEach(keys::add);
            Arrays.stream(sl).forEach(slots::add);
        }
        return new Stored(keys, slots);
    }

    /** Where each column's cells are: the new key and its position, or the origin's for shared columns. */
    private void layout(ProcessContext ctx, ExecProgress p, long[] keys, int[] slots) {
        boolean sharing = shares(ctx, p);
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
    private List<Spec> ordered(ExecProgress p) {
        if (plan != null) {
            return plan.steps().stream().map(Plan.Step::spec).toList();
        }
        return Plan.order(args.table(), args.version(), p.specs().stream().map(r -> BuilderSpecs.parse(args.table(), r))
                .toList());
    }

    /** The first {@code n} columns of the instance being built, as committed so far. */
    private ChunkTable built(ProcessContext ctx, ExecProgress p, List<Column> columns) {
        long[] keys = new long[columns.size()];
        int[] slots = new int[columns.size()];
        layout(ctx, p, keys, slots);
        return new ChunkTable(ctx.vault.store(), keys, slots, columns, Math.max(0, p.rows()));
    }

    /**
     * True when dependency {@code d} reads the same data in instance {@code now} as it did in {@code then}: the
     * same instance, or for named columns, instances in which those columns last changed at the same time (a
     * column is carried over unchanged only with the very same rows).
     */
    private static boolean sameData(Catalog cat, String d, String now, String then) {
        if (now == null || then == null || now.equals(then)) {
            return now != null && now.equals(then);
        }
        Ref r = Template.parse("<<" + d + ">>", "dependency '" + d + "'").refs().get(0);
        Optional<InstanceRecord> atNow = cat.instance(r.table().toString(), now);
        Optional<InstanceRecord> atThen = cat.instance(r.table().toString(), then);
        if (r.columns().isEmpty() || atNow.isEmpty() || atThen.isEmpty()) {
            return false;
        }
        for (Ref.Part c : r.columns()) {
            int ca = indexOf(atNow.get(), c.toString());
            int cb = indexOf(atThen.get(), c.toString());
            if (ca < 0 || cb < 0 || atNow.get().timeOf(ca) != atThen.get().timeOf(cb)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(InstanceRecord r, String column) {
        for (int c = 0; c < r.columns().size(); c++) {
            if (r.columns().get(c).name().equals(column)) {
                return c;
            }
        }
        return -1;
    }

    /** The alignment of the new rows with the origin's (the index step must have finished). */
    private Alignment alignment(ExecProgress p) {
        if (alignment == null) {
            Spec ix = ordered(p).get(0);
            alignment = Alignment.of(store, origin, ix.name(), ix.columns(), ix.primaryKey(), p.instanceKey(),
                    p.indexRows(), ix.keepOld());
        }
        return alignment;
    }

    @Override
    protected boolean canMaterialize() {
        return true;
    }

    @Override
    protected void run(ProcessContext ctx) throws InterruptedException {
        ExecProgress p = (ExecProgress) ctx.lastProgress;
        if (p == null) {
            p = new ExecProgress(ctx.vault.nextInstanceKey(), args.version() + "_" + ctx.started + "_"
                    + String.format("%08x", ThreadLocalRandom.current().nextInt()), ctx.started, specs, deps,
                    origin == null ? null : origin.table(), origin == null ? null : origin.id(),
                    clean.stream().sorted().toList(), 0, -1, 0, 0, 0, List.of());
            try (Batch b = new Batch()) {
                dropLeftovers(ctx, b);
                ctx.checkpoint(b, "plan", p, ProcessState.RUNNING);
            }
        }
        if (p.step() == 0) {
            p = new StepRun(ctx, p, plan.steps().get(0)).run();
        }
        if (origin != null && p.carried() < p.rows()) {
            p = carry(ctx, p);
        }
        for (int i = p.step(); i < plan.steps().size(); i++) {
            p = new StepRun(ctx, p, plan.steps().get(i)).run();
        }
        ExecProgress done = p;
        // Carried-over values name files in the origin's folder or the table's current artifact folder.
        List<Long> carriedFrom = new ArrayList<>();
        if (origin != null && origin.key() != 0) {
            carriedFrom.add(origin.key());
        }
        String current = ctx.catalog().requireTable(args.table()).artifactInstance();
        if (current != null) {
            ctx.catalog().instance(args.table(), current).filter(r -> r.key() != 0)
                    .ifPresent(r -> carriedFrom.add(r.key()));
        }
        Artifacts.check(ctx.vault.dir(), p.instanceKey(), built(ctx, p, plan.columns()),
                carriedFrom.stream().map(k -> Artifacts.folder(ctx.vault.dir(), k)).toList(), Artifacts.Source.BUILDER);
        ctx.commit(b -> materialize(ctx, b, done, true, carriedFrom));
    }

    /** Removes the partial rows a reverted earlier execution left on the temporary instance. */
    private void dropLeftovers(ProcessContext ctx, Batch b) {
        InstanceRecord t = ctx.catalog().requireInstance(args.table(), temp());
        if (t.key() != 0) {
            Store s = ctx.vault.store();
            b.deleteRange(s.data, Keys.instanceStart(t.key()), Keys.instanceStart(t.key() + 1));
            ctx.onDurable(() -> Artifacts.delete(ctx.vault.dir(), t.key()));
            TableOps.put(ctx, b, Keys.instance(args.table(), temp()), withData(t, List.of(), 0, 0, true,
                    new Stored(List.of(), List.of())));
        }
    }

    private static InstanceRecord withData(InstanceRecord t, List<Column> columns, long rows, long key,
                                           boolean success, Stored at) {
        return new InstanceRecord(t.table(), t.id(), t.version(), true, t.externalEdit(), t.originTable(),
                t.originId(), t.description(), columns, List.of(), rows, success, t.active(), t.changedTime(),
                t.materializedTime(), t.processId(), key, List.of(), at.keys(), at.slots(), List.of());
    }

    /** Rows defined so far: the index's count once known, else what the index step committed. */
    private static long rowsOf(ExecProgress p) {
        return p.rows() >= 0 ? p.rows() : p.doneBefore();
    }

    @Override
    protected void revert(ProcessContext ctx, Batch b) {
        ExecProgress p = (ExecProgress) ctx.lastProgress;
        if (p == null) {
            return;
        }
        List<Column> columns = columns(p);
        Stored at = stored(ctx, p, columns);
        ctx.catalog().instance(args.table(), temp()).ifPresent(t -> TableOps.put(ctx, b,
                Keys.instance(args.table(), temp()), withData(t, columns, rowsOf(p), p.instanceKey(), false, at)));
    }

    /** The instance's columns from the recorded specs: a stop or restart may not have the builders' code. */
    private List<Column> columns(ExecProgress p) {
        if (plan != null) {
            return plan.columns();
        }
        return Plan.layout(args.table(), args.version(),
                p.specs().stream().map(r -> BuilderSpecs.parse(args.table(), r)).toList());
    }

    @Override
    protected void materializePartial(ProcessContext ctx, Batch b) {
        ExecProgress p = (ExecProgress) ctx.lastProgress;
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
        Artifacts.seal(ctx.vault.store(), ctx.vault.dir(), ctx.vault.options().durability(), b, p.instanceKey(),
                carriedFrom);
        List<Column> columns = p.specs().isEmpty() ? List.of() : columns(p);
        List<String> changed = columns.stream().map(Column::name).toList();
        if (success && origin != null && alignment(p).identity()) {
            // The origin's rows, so only recomputed columns (and, from a partial origin, filled ones) changed.
            changed = plan.steps().stream().map(Plan.Step::spec).filter(sp -> !sp.index()
                    && (!clean.contains(sp.name()) || !origin.success()))
                    .flatMap(sp -> sp.columns().stream()).map(Column::name).toList();
        }
        Stored at = stored(ctx, p, columns);
        WriteInstance.flip(ctx, b, args.table(), args.version(), p.newId(), p.instanceKey(), columns, changed,
                rowsOf(p), success, p.deps(), at.keys(), at.slots(), p.originTable(), p.originId());
        Store s = ctx.vault.store();
        for (BuilderRecord r : p.specs()) {
            b.delete(s.meta, Keys.builder(args.table(), args.version(), r.name()));
            TableOps.put(ctx, b, Keys.builder(args.table(), p.newId(), r.name()), r);
        }
    }

    /**
     * Copies the origin's values of the clean builders' columns (and, for rows {@code keepOld} keeps, of the
     * index columns) into the new instance, chunk by chunk, checkpointing as it goes. Where the rows are the
     * origin's own, the stored chunks are copied as they are.
     */
    private ExecProgress carry(ProcessContext ctx, ExecProgress p) {
        Alignment al = alignment(p);
        if (shares(ctx, p)) {
            return p; // the clean columns stay where they are, and there are no kept rows
        }
        Store s = ctx.vault.store();
        List<int[]> cols = new ArrayList<>();
        for (Plan.Step st : plan.steps()) {
            if (clean.contains(st.spec().name())) {
                for (int i = 0; i < st.spec().columns().size(); i++) {
                    cols.add(new int[] {st.firstColumn() + i, origin.columns().indexOf(st.spec().columns().get(i))});
                }
            }
        }
        List<Column> indexCols = plan.steps().get(0).spec().columns();
        ChunkTable old = ChunkTable.of(s, origin);
        ChunkTable now = new ChunkTable(s, p.instanceKey(), indexCols, al.indexRows());
        long rows = p.rows();
        long chunks = (rows + Chunks.ROWS - 1) / Chunks.ROWS;
        long perBatch = Math.max(1, args.checkpointRows() / Chunks.ROWS);
        long c = p.carried() / Chunks.ROWS;
        while (c < chunks) {
            try (Batch b = new Batch()) {
                for (long end = Math.min(chunks, c + perBatch); c < end; c++) {
                    long from = c * Chunks.ROWS;
                    long to = Math.min(rows, from + Chunks.ROWS);
                    for (int[] col : cols) {
                        byte[] k = Keys.cell(p.instanceKey(), col[0], c);
                        if (al.identity()) {
                            long ok = origin.keyOf(col[1]);
                            byte[] v = ok == 0 ? null : s.get(s.data, Keys.cell(ok, origin.slotOf(col[1]), c));
                            if (v != null) {
                                b.put(s.data, k, v);
                            } else if (ok != 0 && origin.success()) {
                                throw FrameStore.missing(FrameStore.owner(origin), origin.columns().get(col[1]),
                                        c, origin.rows());
                            }
                        } else {
                            b.put(s.data, k, Chunks.encode(plan.columns().get(col[0]).type(),
                                    mapped(old, col[1], al, from, to, -1, null), 0, (int) (to - from)));
                        }
                    }
                    for (int i = 0; to > al.indexRows() && i < indexCols.size(); i++) {
                        b.put(s.data, Keys.cell(p.instanceKey(), i, c), Chunks.encode(indexCols.get(i).type(),
                                mapped(old, origin.columns().indexOf(indexCols.get(i)), al, from, to, i, now), 0,
                                (int) (to - from)));
                    }
                }
                p = p.carried(Math.min(rows, c * Chunks.ROWS));
                ctx.checkpoint(b, "carry", p, ProcessState.RUNNING);
            }
            ctx.crash("carry");
            ctx.checkStop();
        }
        return p;
    }

    /**
     * Values of rows {@code [from, to)} of one column: the origin's column {@code oldCol} (-1: absent) at each
     * row's origin row; with {@code fresh} set, rows the index produced keep its column {@code freshCol}.
     */
    private static List<Object> mapped(ChunkTable old, int oldCol, Alignment al, long from, long to, int freshCol,
                                       ChunkTable fresh) {
        List<Object> v = new ArrayList<>((int) (to - from));
        for (long r = from; r < to; r++) {
            long o = al.origin(r);
            v.add(fresh != null && r < al.indexRows() ? fresh.value(freshCol, r)
                    : o < 0 || oldCol < 0 ? null : old.value(oldCol, o));
        }
        return v;
    }

    /** One builder step: runs it from its first uncommitted row to its end, checkpointing as it goes. */
    private final class StepRun {
        private final ProcessContext ctx;
        private final Plan.Step step;
        private final int index;
        private final RowTracker done;
        private final CellWriter writer;
        private final ExecContext bctx;
        private ExecProgress p;
        private long lastCommit = System.nanoTime();
        /** A clean builder: rows the origin holds are carried, not computed. */
        private final boolean reuse;
        private final ChunkTable old;
        private final int[] oldCols;
        /** Rows carried over since the last checkpoint, marked done without a write. */
        private int skipped;

        StepRun(ProcessContext ctx, ExecProgress p, Plan.Step step) {
            this.ctx = ctx;
            this.p = p;
            this.step = step;
            this.index = p.step();
            this.done = new RowTracker(p.doneBefore(), p.doneAfter());
            this.reuse = clean.contains(step.spec().name());
            this.old = reuse ? ChunkTable.of(store, origin) : null;
            this.oldCols = reuse ? step.spec().columns().stream().mapToInt(c -> origin.columns().indexOf(c)).toArray()
                    : null;
            // Chunks of a clean builder hold carried values, so each one touched is read back first.
            long fresh = reuse ? Long.MAX_VALUE : p.doneAfter().isEmpty() ? p.doneBefore()
                    : p.doneAfter().get(p.doneAfter().size() - 1) + 1;
            this.writer = new CellWriter(ctx.vault.store(), p.instanceKey(), step.firstColumn(),
                    step.spec().columns(), fresh);
            this.bctx = new ExecContext(ctx, args.table(), args.version(), step.spec(), p.rows(), built(ctx, p,
                    plan.columns().subList(0, step.firstColumn())), depTables, Artifacts.folder(ctx.vault.dir(),
                    p.instanceKey()));
        }

        ExecProgress run() throws InterruptedException {
            Spec spec = step.spec();
            if (reuse && alignment(p).allMapped() && origin.success()) {
                // Every row is the origin's and the origin finished: nothing to compute, one checkpoint.
                p = p.at(index + 1, p.rows(), 0, List.of());
                try (Batch b = new Batch()) {
                    ctx.checkpoint(b, spec.name() + " carried over", p, ProcessState.RUNNING);
                }
                tell(spec.name(), index, p.rows(), p.rows());
                ctx.crash("step");
                return p;
            }
            try {
                if (step.builder() instanceof FrameBuilder fb && spec.mode().equals("whole-column")) {
                    Frame f = fb.build(bctx);
                    checkFrame(f);
                    for (int r = (int) done.doneBefore(); r < f.rowCount(); r++) {
                        put(r, f.row(r));
                    }
                } else if (step.builder() instanceof GeneratorBuilder gb && spec.mode().equals("generator")) {
                    gb.generate(bctx, done.doneBefore(), values -> put(done.doneBefore() + writer.pending(), values));
                } else {
                    rows((RowBuilder) step.builder());
                }
            } catch (Exception e) {
                // Never lose finished work: commit what is done before the failure pauses or reverts us.
                if (writer.pending() > 0 && !(e instanceof ProcessContext.StopRequested)) {
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
                p = p.indexed(n, n);
                if (origin != null) {
                    p = p.indexed(n, alignment(p).rows());
                }
            } else if (done.doneBefore() != p.rows()) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + spec.name() + "' produced rows up"
                        + " to " + done.doneBefore() + ", the index has " + p.rows());
            } else {
                p = p.at(index + 1, p.rows(), 0, List.of());
            }
            try (Batch b = new Batch()) {
                ctx.checkpoint(b, spec.name() + " done", p, ProcessState.RUNNING);
            }
            tell(spec.name(), index, p.rows(), p.rows());
            ctx.crash("step");
            return p;
        }

        private void checkFrame(Frame f) {
            List<Column> want = step.spec().columns();
            if (!f.columns().equals(want)) {
                throw BuilderSpecs.bad(step.spec().name(), "changedColumns", "declares " + want
                        + ", but the builder returned columns " + f.columns());
            }
            if (index > 0 && f.rowCount() != p.rows()) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + step.spec().name() + "' returned "
                        + f.rowCount() + " rows; the index has " + p.rows());
            }
        }

        private void rows(RowBuilder rb) throws Exception {
            PrimitiveIterator.OfLong todo = done.todo(p.rows());
            int threads = step.spec().threads();
            if (threads == 1) {
                while (todo.hasNext() && ctx.stop == null) {
                    long r = todo.nextLong();
                    if (!carried(r)) {
                        put(r, rb.build(bctx.forRow(r), r));
                    }
                }
                return;
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads, run -> {
                Thread t = new Thread(run, "tablevault-exec-" + ctx.pid);
                t.setDaemon(true);
                return t;
            });
            try {
                CompletionService<Object[]> cs = new ExecutorCompletionService<>(pool);
                int inFlight = 0;
                Exception failure = null;
                while (true) {
                    while (failure == null && ctx.stop == null && inFlight < threads * 4 && todo.hasNext()) {
                        long r = todo.nextLong();
                        if (!carried(r)) {
                            cs.submit(() -> new Object[] {r, rb.build(bctx.forRow(r), r)});
                            inFlight++;
                        }
                    }
                    if (inFlight == 0) {
                        break;
                    }
                    Future<Object[]> f = cs.take();
                    inFlight--;
                    try {
                        Object[] res = f.get();
                        @SuppressWarnings("unchecked")
                        List<Object> values = (List<Object>) res[1];
                        put((Long) res[0], values);
                    } catch (ExecutionException e) {
                        Exception cause = e.getCause() instanceof Exception x ? x : e;
                        if (e.getCause() instanceof Error err) {
                            throw err;
                        }
                        if (failure == null) {
                            failure = cause;
                        } else {
                            failure.addSuppressed(cause);
                        }
                    } catch (RuntimeException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            } finally {
                pool.shutdownNow();
                if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("builder '" + step.spec().name() + "' threads did not end");
                }
            }
        }

        /**
         * True (and the row marked done) when a clean builder's row holds the origin's values: the row has an
         * origin row, which a finished origin computed, or which a partial one reached (a value is not null).
         */
        private boolean carried(long row) {
            if (!reuse) {
                return false;
            }
            long o = alignment(p).origin(row);
            boolean has = o >= 0 && origin.success();
            for (int i = 0; o >= 0 && !has && i < oldCols.length; i++) {
                has = old.value(oldCols[i], o) != null;
            }
            if (has) {
                skip(row);
            }
            return has;
        }

        private void skip(long row) {
            done.markDone(row);
            skipped++;
            if (skipped + writer.pending() >= args.checkpointRows()) {
                checkpoint();
                ctx.checkStop();
            }
        }

        /** Buffers one row and commits a checkpoint when the batch is full or old enough. */
        private void put(long row, List<Object> values) {
            writer.put(row, Values.check(step.spec(), row, values));
            if (writer.pending() >= args.checkpointRows()
                    || System.nanoTime() - lastCommit >= TimeUnit.MILLISECONDS.toNanos(args.checkpointMillis())) {
                checkpoint();
                ctx.checkStop();
            }
        }

        private void checkpoint() {
            if (writer.pending() == 0 && skipped == 0) {
                return;
            }
            skipped = 0;
            long rowsKnown = index == 0 ? -1 : p.rows();
            try (Batch b = new Batch()) {
                List<Long> rows = new ArrayList<>(writer.pendingRows());
                writer.writeTo(b, rowsKnown);
                for (long r : rows) {
                    done.markDone(r);
                }
                p = p.at(index, p.rows(), done.doneBefore(), done.doneAfter());
                ctx.checkpoint(b, step.spec().name(), p, ProcessState.RUNNING);
                writer.closeChunks(done, rowsKnown);
                tell(step.spec().name(), index, done.doneCount(), rowsKnown);
            }
            lastCommit = System.nanoTime();
            ctx.crash("checkpoint");
        }
    }
}
