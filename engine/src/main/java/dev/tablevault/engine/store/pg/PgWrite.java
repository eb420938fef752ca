package dev.tablevault.engine.store.pg;

import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Batch}'s changes as SQL statements, with the batch's order semantics: a later change of a key wins, and
 * a put after a range delete survives it. Families are separate tables, so only the order within a family matters:
 * each family's changes are cut into runs of one kind, and a run is one statement — consecutive puts one
 * {@code INSERT .. SELECT * FROM unnest(..) ON CONFLICT (k) DO UPDATE} (a key put twice keeps its last value, as
 * one statement may not touch a row twice), consecutive deletes one {@code DELETE .. WHERE k = ANY(..)}, each range
 * delete one {@code DELETE .. WHERE k >= .. AND k < ..}.
 */
final class PgWrite {
    private enum Kind { PUT, DELETE, RANGE }

    /** A run of changes of one kind in one family; for PUT, keys map to their last value. */
    private record Run(Kind kind, Map<ByteBuffer, byte[]> changes, byte[] from, byte[] to) {
    }

    private PgWrite() {
    }

    /** Sends {@code batch}'s changes on {@code c}, which is in a transaction. */
    static void apply(Connection c, Batch batch) throws SQLException {
        Map<Family, List<Run>> runs = new EnumMap<>(Family.class);
        batch.forEachChange((family, key, value, rangeEnd) -> {
            List<Run> list = runs.computeIfAbsent(family, f -> new ArrayList<>());
            Kind kind = rangeEnd != null ? Kind.RANGE : value != null ? Kind.PUT : Kind.DELETE;
            if (kind == Kind.RANGE) {
                list.add(new Run(kind, null, key, rangeEnd));
                return;
            }
            Run last = list.isEmpty() ? null : list.get(list.size() - 1);
            if (last == null || last.kind != kind) {
                last = new Run(kind, new LinkedHashMap<>(), null, null);
                list.add(last);
            }
            last.changes.put(ByteBuffer.wrap(key), value);
        });
        for (Map.Entry<Family, List<Run>> e : runs.entrySet()) {
            String table = PgReads.table(e.getKey());
            for (Run run : e.getValue()) {
                switch (run.kind) {
                    case PUT -> upsert(c, table, run.changes);
                    case DELETE -> delete(c, table, run.changes);
                    case RANGE -> deleteRange(c, table, run.from, run.to);
                }
            }
        }
    }

    private static void upsert(Connection c, String table, Map<ByteBuffer, byte[]> puts) throws SQLException {
        byte[][] keys = new byte[puts.size()][];
        byte[][] values = new byte[puts.size()][];
        int i = 0;
        for (Map.Entry<ByteBuffer, byte[]> p : puts.entrySet()) {
            keys[i] = p.getKey().array();
            values[i++] = p.getValue();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (k, v) SELECT * FROM"
                + " unnest(?::bytea[], ?::bytea[]) ON CONFLICT (k) DO UPDATE SET v = excluded.v")) {
            s.setArray(1, c.createArrayOf("bytea", keys));
            s.setArray(2, c.createArrayOf("bytea", values));
            s.executeUpdate();
        }
    }

    private static void delete(Connection c, String table, Map<ByteBuffer, byte[]> deletes) throws SQLException {
        byte[][] keys = new byte[deletes.size()][];
        int i = 0;
        for (ByteBuffer k : deletes.keySet()) {
            keys[i++] = k.array();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE k = ANY(?::bytea[])")) {
            s.setArray(1, c.createArrayOf("bytea", keys));
            s.executeUpdate();
        }
    }

    private static void deleteRange(Connection c, String table, byte[] from, byte[] to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE k >= ? AND k < ?")) {
            s.setBytes(1, from);
            s.setBytes(2, to);
            s.executeUpdate();
        }
    }
}
