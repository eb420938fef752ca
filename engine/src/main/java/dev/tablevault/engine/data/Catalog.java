package dev.tablevault.engine.data;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.BuilderRecord;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.TableRecord;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.CatalogMirror;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.Reads;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads of the {@code meta} family. Stateless; thread safe as its {@link Reads} is. Reading the latest state
 * of the owner's store, it answers from the store's {@link CatalogMirror} what that holds (a table's record, and
 * that a table has no instances or builders) instead of reading RocksDB.
 */
public final class Catalog {
    private final Backend store;
    private final Reads reads;

    public Catalog(Backend store, Reads reads) {
        this.store = store;
        this.reads = reads;
    }

    public Optional<TableRecord> table(String table) {
        CatalogMirror m = mirror();
        byte[] v = m != null ? m.table(table) : reads.get(Family.META, Keys.table(table));
        return v == null ? Optional.empty() : Optional.of(Codec.decode(v, TableRecord.class, "table " + table));
    }

    /** Table {@code name}'s record and its instance {@code id}'s, either empty when absent. */
    public record TableAndInstance(String name, String id, Optional<TableRecord> table,
                                   Optional<InstanceRecord> instance) {
        /** The table's record, or {@code NOT_FOUND} as {@link Catalog#requireTable} says it. */
        public TableRecord requireTable() {
            return table.orElseThrow(() -> noTable(name));
        }

        /** The instance's record, or {@code NOT_FOUND} as {@link Catalog#requireInstance} says it. */
        public InstanceRecord requireInstance() {
            return instance.orElseThrow(() -> noInstance(name, id));
        }
    }

    /**
     * {@link #table} and {@link #instance} of {@code table} together: one batched read ({@link Reads#getAll}) where
     * there is no catalog mirror (PostgreSQL: one round trip instead of two), as a write's validation needs both.
     */
    public TableAndInstance tableAndInstance(String table, String id) {
        CatalogMirror m = mirror();
        byte[] t;
        byte[] i;
        if (m != null) {
            t = m.table(table);
            i = reads.get(Family.META, Keys.instance(table, id));
        } else {
            List<byte[]> both = reads.getAll(Family.META, List.of(Keys.table(table), Keys.instance(table, id)));
            t = both.get(0);
            i = both.get(1);
        }
        return new TableAndInstance(table, id,
                Optional.ofNullable(t).map(v -> Codec.decode(v, TableRecord.class, "table " + table)),
                Optional.ofNullable(i).map(v -> Codec.decode(v, InstanceRecord.class, "instance " + table + "/" + id)));
    }

    /** The instance {@code id} of {@code table}, which must exist (else {@code NOT_FOUND} for the table). */
    public Optional<InstanceRecord> instanceOfExistingTable(String table, String id) {
        TableAndInstance both = tableAndInstance(table, id);
        both.requireTable();
        return both.instance();
    }

    public TableRecord requireTable(String table) {
        return table(table).orElseThrow(() -> noTable(table));
    }

    private static TvArgumentException noTable(String table) {
        return new TvArgumentException(ErrorCode.NOT_FOUND, "table '" + table + "' does not exist; list tables with"
                + " tables()");
    }

    public List<String> tableNames() {
        List<String> out = new ArrayList<>();
        reads.scan(Family.META, Keys.prefix("T"), (k, v) -> out.add(Keys.parts(k)[1]));
        return out;
    }

    public Optional<InstanceRecord> instance(String table, String id) {
        byte[] v = reads.get(Family.META, Keys.instance(table, id));
        return v == null ? Optional.empty()
                : Optional.of(Codec.decode(v, InstanceRecord.class, "instance " + table + "/" + id));
    }

    public InstanceRecord requireInstance(String table, String id) {
        return instance(table, id).orElseThrow(() -> noInstance(table, id));
    }

    private static TvArgumentException noInstance(String table, String id) {
        return new TvArgumentException(ErrorCode.NOT_FOUND, "instance '" + id + "' of table '" + table + "' does not"
                + " exist; list them with instances(\"" + table + "\", null, true)");
    }

    /** Every instance of a table: materialized ones by materialization time, then temporary ones. */
    public List<InstanceRecord> instances(String table) {
        List<InstanceRecord> out = new ArrayList<>();
        CatalogMirror m = mirror();
        if (m != null && m.instances(table) == 0) {
            return out;
        }
        reads.scan(Family.META, Keys.prefix("I", table),
                (k, v) -> out.add(Codec.decode(v, InstanceRecord.class, "instance " + table)));
        out.sort(Comparator.comparing(InstanceRecord::temporary)
                .thenComparingLong(InstanceRecord::materializedTime).thenComparing(InstanceRecord::id));
        return out;
    }

    /** The instance a read picks. */
    public InstanceRecord pick(String table, ReadOptions o) {
        requireTable(table);
        if (o.instanceId() != null) {
            return requireInstance(table, o.instanceId());
        }
        InstanceRecord best = null;
        for (InstanceRecord r : instances(table)) {
            if (r.temporary() || (o.version() != null && !o.version().equals(r.version()))
                    || (o.activeOnly() && !r.active()) || (o.successfulOnly() && !r.success())) {
                continue;
            }
            best = r;
        }
        if (best == null) {
            throw new TvArgumentException(ErrorCode.NOT_FOUND, "table '" + table + "' has no materialized instance"
                    + (o.version() == null ? "" : " of version '" + o.version() + "'")
                    + (o.activeOnly() ? " (active only)" : "") + (o.successfulOnly() ? " (successful only)" : "")
                    + "; list them with instances(\"" + table + "\", null, true)");
        }
        return best;
    }

    /** The store's mirror when this catalog reads the store's latest state (not a snapshot), else null. */
    private CatalogMirror mirror() {
        return reads == store ? store.mirror() : null;
    }

    public List<BuilderRecord> builders(String table, String version) {
        List<BuilderRecord> out = new ArrayList<>();
        reads.scan(Family.META, Keys.prefix("B", table, version),
                (k, v) -> out.add(Codec.decode(v, BuilderRecord.class, "builder of " + table)));
        return out;
    }

    /** Builder records of every version of a table, with their keys' version part. */
    public List<String[]> builderKeys(String table) {
        List<String[]> out = new ArrayList<>();
        CatalogMirror m = mirror();
        if (m != null && m.builders(table) == 0) {
            return out;
        }
        reads.scan(Family.META, Keys.prefix("B", table), (k, v) -> out.add(Keys.parts(k)));
        return out;
    }
}
