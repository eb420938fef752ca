package dev.tablevault.engine.store.pg;

import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Reads;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Point reads and keyset-paged scans over one family table. Every page is one query
 * ({@code k >= ? AND k < ? ORDER BY k LIMIT n}, the next from the last key seen), read whole before the visitor sees
 * it; the first page is small and later ones grow (less so for cell chunks), so a visitor that stops early costs one small query and a long
 * scan few. {@code bytea} compares as memcmp then length: the unsigned order of {@link Keys}.
 *
 * <p>Subclasses say which connection a query runs on: a pooled one per query (the latest state; pages of one scan
 * may then see different commits, each key at most once and in order) or a view's (one snapshot).
 */
abstract class PgReads implements Reads {
    static final int FIRST_PAGE = 32;
    static final int MAX_PAGE = 1024;
    /** Cell chunks run to megabytes: a page of them stays at a few dozen. */
    static final int MAX_DATA_PAGE = 64;

    /** One query on a connection. */
    interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** One row of a page. */
    record Row(byte[] key, byte[] value) {
    }

    /** Runs {@code q} and maps its {@link SQLException} to the engine's error for {@code doing}. */
    abstract <T> T query(String doing, Query<T> q);

    static String table(Family family) {
        return switch (family) {
            case META -> "tv_meta";
            case PROC -> "tv_proc";
            case LOCKS -> "tv_lockrecs";
            case DATA -> "tv_data";
        };
    }

    @Override
    public byte[] get(Family family, byte[] key) {
        String table = table(family);
        return query("reading " + table, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT v FROM " + table + " WHERE k = ?")) {
                s.setBytes(1, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getBytes(1) : null;
                }
            }
        });
    }

    /** One {@code = ANY(?)} query for every key. */
    @Override
    public List<byte[]> getAll(Family family, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        String table = table(family);
        Map<ByteBuffer, byte[]> found = query("reading " + table, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT k, v FROM " + table + " WHERE k = ANY(?::bytea[])")) {
                s.setArray(1, c.createArrayOf("bytea", keys.toArray(new byte[0][])));
                Map<ByteBuffer, byte[]> out = new HashMap<>(keys.size() * 2);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(ByteBuffer.wrap(r.getBytes(1)), r.getBytes(2));
                    }
                }
                return out;
            }
        });
        List<byte[]> values = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            values.add(found.get(ByteBuffer.wrap(k)));
        }
        return values;
    }

    @Override
    public void scan(Family family, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        walk(family, prefix, true, Keys.prefixEnd(prefix), false, visitor);
    }

    @Override
    public void scanFrom(Family family, byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        walk(family, from, true, Keys.prefixEnd(prefix), false, visitor);
    }

    @Override
    public void scanBackwards(Family family, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        walk(family, prefix, true, Keys.prefixEnd(prefix), true, visitor);
    }

    /** The largest key of {@code family}, or null. */
    byte[] lastKey(Family family) {
        String table = table(family);
        return query("reading " + table, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT k FROM " + table + " ORDER BY k DESC LIMIT 1");
                 ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
            }
        });
    }

    private void walk(Family family, byte[] lo, boolean loIncluded, byte[] hi, boolean backwards,
                      BiPredicate<byte[], byte[]> visitor) {
        int limit = FIRST_PAGE;
        while (true) {
            List<Row> page = page(family, lo, loIncluded, hi, backwards, limit);
            for (Row row : page) {
                if (!visitor.test(row.key, row.value)) {
                    return;
                }
            }
            if (page.size() < limit) {
                return;
            }
            byte[] last = page.get(page.size() - 1).key;
            if (backwards) {
                hi = last;
            } else {
                lo = last;
                loIncluded = false;
            }
            limit = nextLimit(family, limit);
        }
    }

    /** The size of the page after one of {@code limit} rows. */
    static int nextLimit(Family family, int limit) {
        return Math.min(limit * 4, family == Family.DATA ? MAX_DATA_PAGE : MAX_PAGE);
    }

    /**
     * Up to {@code limit} rows of {@code family} with keys in {@code lo..hi} ({@code hi} exclusive, null for no
     * bound), ascending or, {@code backwards}, descending.
     */
    List<Row> page(Family family, byte[] lo, boolean loIncluded, byte[] hi, boolean backwards, int limit) {
        String table = table(family);
        String sql = "SELECT k, v FROM " + table + " WHERE k " + (loIncluded ? ">=" : ">") + " ?"
                + (hi == null ? "" : " AND k < ?") + " ORDER BY k" + (backwards ? " DESC" : "") + " LIMIT ?";
        return query("scanning " + table, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                s.setBytes(i++, lo);
                if (hi != null) {
                    s.setBytes(i++, hi);
                }
                s.setInt(i, limit);
                List<Row> rows = new ArrayList<>(Math.min(limit, 64));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.add(new Row(r.getBytes(1), r.getBytes(2)));
                    }
                }
                return rows;
            }
        });
    }
}
