package dev.tablevault.engine.exec;

import dev.tablevault.api.Column;
import dev.tablevault.api.ProcessState;
import dev.tablevault.engine.codec.Records.BuilderRecord;
import dev.tablevault.engine.codec.Records.ExecProgress;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.ChunkTable;
import dev.tablevault.engine.data.FrameStore;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.ref.Ref;
import dev.tablevault.engine.ref.Template;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Re-execution: which instance an execution starts from (its origin), which builders' results the origin
 * already holds (the clean ones), and the carry-over of those results into the new instance. Stateless; the
 * state is the {@link Execution}'s.
 */
final class Reexecution {
    private Reexecution() {
    }

    /**
     * The origin: the one {@code createInstance} named, else the latest active instance of this version, else
     * the latest active instance of any version.
     */
    static InstanceRecord chooseOrigin(Catalog cat, Execution execution, InstanceRecord temp) {
        if (temp.originId() != null) {
            return cat.instance(temp.originTable(), temp.originId()).orElse(null);
        }
        InstanceRecord sameVersion = null;
        InstanceRecord any = null;
        for (InstanceRecord r : cat.instances(execution.args.table())) {
            if (!r.temporary() && r.active()) {
                any = r;
                if (r.version().equals(execution.args.version())) {
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
    static Set<String> cleanBuilders(Catalog cat, Execution execution) {
        InstanceRecord origin = execution.origin;
        Plan plan = execution.plan;
        Map<String, BuilderRecord> was = new HashMap<>();
        cat.builders(origin.table(), origin.id()).forEach(r -> was.put(r.name(), r));
        Map<String, BuilderRecord> now = new HashMap<>();
        execution.specs.forEach(r -> now.put(r.name(), r));
        Map<String, String> builtBy = new HashMap<>();
        plan.steps().forEach(st -> st.spec().columns().forEach(c -> builtBy.put(c.name(), st.spec().name())));
        Map<String, String> depsNow = Dependencies.byKey(execution.deps);
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

    /**
     * Copies the origin's values of the clean builders' columns (and, for rows {@code keepOld} keeps, of the
     * index columns) into the new instance, chunk by chunk, checkpointing as it goes. Where the rows are the
     * origin's own, the stored chunks are copied as they are.
     */
    static ExecProgress carry(ProcessContext ctx, Execution execution, ExecProgress p) {
        Alignment al = execution.alignment(p);
        if (execution.shares(ctx, p)) {
            return p; // the clean columns stay where they are, and there are no kept rows
        }
        InstanceRecord origin = execution.origin;
        Plan plan = execution.plan;
        Backend s = ctx.vault.store();
        List<int[]> cols = new ArrayList<>();
        for (Plan.Step st : plan.steps()) {
            if (execution.clean.contains(st.spec().name())) {
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
        long perBatch = Math.max(1, execution.args.checkpointRows() / Chunks.ROWS);
        long c = p.carried() / Chunks.ROWS;
        while (c < chunks) {
            Batch b = new Batch();
            for (long end = Math.min(chunks, c + perBatch); c < end; c++) {
                long from = c * Chunks.ROWS;
                long to = Math.min(rows, from + Chunks.ROWS);
                for (int[] col : cols) {
                    byte[] k = Keys.cell(p.instanceKey(), col[0], c);
                    if (al.identity()) {
                        long ok = origin.keyOf(col[1]);
                        byte[] v = ok == 0 ? null : s.get(Family.DATA, Keys.cell(ok, origin.slotOf(col[1]), c));
                        if (v != null) {
                            b.put(Family.DATA, k, v);
                        } else if (ok != 0 && origin.success()) {
                            throw FrameStore.missing(FrameStore.owner(origin), origin.columns().get(col[1]),
                                    c, origin.rows());
                        }
                    } else {
                        b.put(Family.DATA, k, Chunks.encode(plan.columns().get(col[0]).type(),
                                mapped(al, from, to, new Source(old, col[1]), null), 0, (int) (to - from)));
                    }
                }
                for (int i = 0; to > al.indexRows() && i < indexCols.size(); i++) {
                    b.put(Family.DATA, Keys.cell(p.instanceKey(), i, c), Chunks.encode(indexCols.get(i).type(),
                            mapped(al, from, to, new Source(old, origin.columns().indexOf(indexCols.get(i))),
                                    new Source(now, i)), 0, (int) (to - from)));
                }
            }
            p = p.carried(Math.min(rows, c * Chunks.ROWS));
            ctx.checkpoint(b, "carry", p, ProcessState.RUNNING);
            ctx.crash("carry");
            ctx.checkStop();
        }
        return p;
    }

    /** Column {@code column} of {@code table} ({@code column} -1: absent). */
    private record Source(ChunkTable table, int column) {
    }

    /**
     * Values of rows {@code [from, to)} of one column: the origin's column {@code old} at each row's origin row;
     * with {@code fresh} set, rows the index produced keep its column {@code fresh}.
     */
    private static List<Object> mapped(Alignment al, long from, long to, Source old, Source fresh) {
        List<Object> v = new ArrayList<>((int) (to - from));
        for (long r = from; r < to; r++) {
            long o = al.origin(r);
            v.add(fresh != null && r < al.indexRows() ? fresh.table().value(fresh.column(), r)
                    : o < 0 || old.column() < 0 ? null : old.table().value(old.column(), o));
        }
        return v;
    }
}
