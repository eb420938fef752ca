package dev.tablevault.engine.process;

import dev.tablevault.api.Column;
import dev.tablevault.api.LockMode;
import dev.tablevault.engine.codec.Records.DepRecord;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.TableRecord;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.MetaWrites;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.process.Op.LockReq;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The materialization of {@code TEMP_<version>} shared by the operations that fill one ({@code writeInstance},
 * {@code executeInstance}): their locks and the one-batch flip.
 */
public final class Materialize {
    private Materialize() {
    }

    /**
     * What a flip makes of {@code TEMP_<version>} of {@code table}: instance {@code newId} over the cells under
     * {@code key} (and, per column, {@code columnKeys}/{@code columnSlots} when carried over), with
     * {@code changed} columns, {@code rows} rows, its dependencies {@code deps}. {@code originTable}/
     * {@code originId} name the origin an execution chose when the temporary instance named none (null: the
     * temporary one's).
     */
    public record Materialization(String table, String version, String newId, long key, List<Column> columns,
                                  List<String> changed, long rows, boolean success, List<DepRecord> deps,
                                  List<Long> columnKeys, List<Integer> columnSlots, String originTable,
                                  String originId) {
    }

    /**
     * The locks of an operation that fills and materializes {@code TEMP_<version>}: that instance, the whole
     * table when {@code wholeTable} is set and the table has side effects, the artifact folder of a
     * single-artifact table, and (shared) the origin the temporary instance names.
     */
    public static List<LockReq> locks(ProcessContext ctx, String table, String version, boolean wholeTable) {
        List<LockReq> l = new ArrayList<>();
        String temp = Names.temp(version);
        l.add(new LockReq(LockManager.instance(table, temp), LockMode.EXCLUSIVE));
        Catalog.TableAndInstance both = ctx.catalog().tableAndInstance(table, temp);
        Optional<TableRecord> t = both.table();
        if (wholeTable && t.isPresent() && t.get().sideEffects()) {
            l.add(new LockReq(LockManager.table(table), LockMode.EXCLUSIVE));
        }
        if (t.isPresent() && !t.get().multipleArtifacts()) {
            l.add(new LockReq(LockManager.artifacts(table), LockMode.EXCLUSIVE));
        }
        both.instance().filter(r -> r.originId() != null).ifPresent(r ->
                l.add(new LockReq(LockManager.instance(r.originTable(), r.originId()), LockMode.SHARED)));
        return l;
    }

    /**
     * Materializes {@code TEMP_<version>} as {@code m} in {@code b}: the new record, the temporary one gone, the
     * table's artifact instance (single-artifact tables, successful only), and side-effect deactivation of the
     * table's other active instances. O(1) in rows.
     */
    public static void flip(ProcessContext ctx, Batch b, Materialization m) {
        Catalog cat = ctx.catalog();
        Backend s = ctx.vault.store();
        String tableName = m.table();
        List<String> changed = m.changed();
        String tempId = Names.temp(m.version());
        Catalog.TableAndInstance both = cat.tableAndInstance(tableName, tempId);
        TableRecord table = both.requireTable();
        InstanceRecord temp = both.requireInstance();
        String oTable = m.originId() != null ? m.originTable() : temp.originTable();
        String oId = m.originId() != null ? m.originId() : temp.originId();
        InstanceRecord origin = oId == null ? null : cat.instance(oTable, oId).orElse(null);
        long now = ctx.vault.clock().millis();
        long changedTime = changed.isEmpty() && origin != null ? origin.changedTime() : now;
        b.delete(Family.META, Keys.instance(tableName, tempId));
        MetaWrites.put(s, b, Keys.instance(tableName, m.newId()), new InstanceRecord(tableName, m.newId(),
                m.version(), false, temp.externalEdit(), oTable, oId, temp.description(),
                m.columns(), changed, m.rows(), m.success(), true, changedTime, now, ctx.pid, m.key(), m.deps(),
                m.columnKeys(), m.columnSlots(), columnTimes(m.columns(), changed, origin, now)));
        if (m.success() && !table.multipleArtifacts()) {
            MetaWrites.put(s, b, Keys.table(tableName), new TableRecord(table.name(), table.description(),
                    table.sideEffects(), table.multipleArtifacts(), table.created(), m.newId()));
        }
        if (table.sideEffects() && !changed.isEmpty()) {
            for (InstanceRecord r : cat.instances(tableName)) {
                if (!r.temporary() && r.active()) {
                    MetaWrites.put(s, b, Keys.instance(tableName, r.id()), r.deactivated());
                }
            }
        }
    }

    /** Per column: now if it changed, else its time in the origin (the origin's change time if it has none). */
    private static List<Long> columnTimes(List<Column> columns, List<String> changed, InstanceRecord origin,
                                          long now) {
        List<Long> out = new ArrayList<>(columns.size());
        for (Column c : columns) {
            int oc = origin == null ? -1 : origin.columns().indexOf(c);
            out.add(changed.contains(c.name()) || oc < 0 ? now : origin.timeOf(oc));
        }
        return out;
    }
}
