package dev.tablevault.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owner's in-memory copy of the catalog's shape in {@link Family#META}: every table record (as stored), and how
 * many instance ({@code I}) and builder ({@code B}) keys each table has. It lets the small operations validate
 * without backend reads (a point get for the table, a prefix seek each for its instances and builders).
 *
 * <p>Only a read-write {@link Backend} without {@linkplain Backend#sharedOwners() shared owners} has one: it is the
 * only writer of the vault (RocksDB's {@code LOCK}), so its copy cannot go stale behind its back. It is loaded when
 * the backend opens, before any write, and then changed by every batch {@link Backend#write(Batch)} commits, on the
 * committing thread after the write and before the process releases its locks. Two writes of the same key are
 * ordered by the locks their processes hold (every write of a table's keys holds a lock of that table), so the copy
 * applies them in the order the backend did. A write that fails, or one made without a {@link Batch}, drops the
 * copy for the rest of the open ({@link #valid}): reads then go to the backend as before.
 *
 * <p>Thread safe. Memory: one entry per table and per instance and builder key.
 */
public final class CatalogMirror {
    private final Map<String, byte[]> tables = new ConcurrentHashMap<>();
    /** The {@code I} and {@code B} keys, as ISO-8859-1 strings of their bytes (a one-to-one mapping). */
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> instances = new ConcurrentHashMap<>();
    private final Map<String, Integer> builders = new ConcurrentHashMap<>();
    private volatile boolean valid = true;

    CatalogMirror() {
    }

    /** Loads the catalog's keys from {@code store}'s {@link Family#META}; called before any write. */
    public static CatalogMirror load(Reads store) {
        CatalogMirror m = new CatalogMirror();
        for (String prefix : new String[]{"T", "I", "B"}) {
            store.scan(Family.META, Keys.prefix(prefix), (k, v) -> {
                m.put(k, v);
                return true;
            });
        }
        return m;
    }

    /** False once the copy was dropped; callers then read the backend. */
    public boolean valid() {
        return valid;
    }

    /** The stored table record of {@code table}, or null when there is no such table. */
    public byte[] table(String table) {
        return tables.get(table);
    }

    /** How many instance records {@code table} has. */
    public int instances(String table) {
        return instances.getOrDefault(table, 0);
    }

    /** How many builder records {@code table} has, over all its versions and instances. */
    public int builders(String table) {
        return builders.getOrDefault(table, 0);
    }

    /** Drops the copy for the rest of the open: a write failed, or the backend cannot see its changes. */
    public void invalidate() {
        valid = false;
    }

    /** Applies the changes of a committed batch that touch {@code meta}. */
    public void apply(Batch batch, Family meta) {
        batch.forEachChange((family, key, value, rangeEnd) -> {
            if (family != meta) {
                return;
            }
            if (rangeEnd != null) {
                invalidate(); // no operation deletes catalog ranges; if one ever does, stop trusting the copy
            } else if (value != null) {
                put(key, value);
            } else {
                delete(key);
            }
        });
    }

    private void put(byte[] key, byte[] value) {
        String table = table(key);
        if (table == null) {
            return;
        }
        if (key[0] == 'T') {
            tables.put(table, value);
        } else if (keys.add(new String(key, StandardCharsets.ISO_8859_1))) {
            counts(key).merge(table, 1, Integer::sum);
        }
    }

    private void delete(byte[] key) {
        String table = table(key);
        if (table == null) {
            return;
        }
        if (key[0] == 'T') {
            tables.remove(table);
        } else if (keys.remove(new String(key, StandardCharsets.ISO_8859_1))) {
            // Atomic per table: a table's entry goes with its last key, even while another key of it is added.
            counts(key).computeIfPresent(table, (t, n) -> n == 1 ? null : n - 1);
        }
    }

    private Map<String, Integer> counts(byte[] key) {
        return key[0] == 'I' ? instances : builders;
    }

    /** The table a {@code T}, {@code I} or {@code B} key belongs to, or null for other keys. */
    private static String table(byte[] key) {
        if (key.length < 2 || key[1] != 0 || (key[0] != 'T' && key[0] != 'I' && key[0] != 'B')) {
            return null;
        }
        int end = 2;
        while (end < key.length && key[end] != 0) {
            end++;
        }
        return new String(key, 2, end - 2, StandardCharsets.UTF_8);
    }
}
