package dev.tablevault.engine.data;

import dev.tablevault.api.Column;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.ref.RefTable;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.Reads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Committed cells of one instance key read chunk by chunk through a small LRU cache. The caller guarantees the
 * cells do not change while it reads (a materialized instance under a shared lock, or the columns of finished
 * steps). Those columns are complete (see {@link FrameStore}): a missing or short chunk is {@code CORRUPTION};
 * only in an unsuccessful instance do chunks never written read as nulls. Thread safe, unless it reads through a
 * snapshot ({@link #at}), which one thread uses.
 */
public final class ChunkTable implements RefTable {
    private static final int CACHED_CHUNKS = 64;
    private final Backend store;
    /** Where the cells are read: the latest state ({@code store}) or a snapshot. */
    private final Reads reads;
    private final long[] keys;
    private final int[] slots;
    private final List<Column> columns;
    private final long rows;
    private final boolean complete;
    /** Names the instance in errors. */
    private final String owner;
    /** The chunk each column read last: rows read in order find it without the cache's lock. */
    private final AtomicReferenceArray<Chunk> last;
    private final Map<Long, List<Object>> cache = new LinkedHashMap<>(128, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<Object>> e) {
            return size() > CACHED_CHUNKS;
        }
    };

    /** Complete columns {@code 0..n-1} of one key, at their positions. */
    public ChunkTable(Backend store, long key, List<Column> columns, long rows) {
        this(store, filled(columns.size(), key), java.util.stream.IntStream.range(0, columns.size()).toArray(),
                columns, rows);
    }

    /** Complete column {@code c} at key {@code keys[c]}, slot {@code slots[c]}. */
    public ChunkTable(Backend store, long[] keys, int[] slots, List<Column> columns, long rows) {
        this(store, store, keys, slots, columns, rows, true, "the instance being built");
    }

    private ChunkTable(Backend store, Reads reads, long[] keys, int[] slots, List<Column> columns, long rows,
                       boolean complete, String owner) {
        this.store = store;
        this.reads = reads;
        this.keys = keys;
        this.slots = slots;
        this.columns = List.copyOf(columns);
        this.rows = rows;
        this.complete = complete;
        this.owner = owner;
        this.last = new AtomicReferenceArray<>(columns.size());
    }

    /** One chunk's decoded cells (never changed once decoded). */
    private record Chunk(long chunk, List<Object> values) {
    }

    /** The cells of a stored instance. */
    public static ChunkTable of(Backend store, InstanceRecord r) {
        long[] keys = new long[r.columns().size()];
        int[] slots = new int[keys.length];
        for (int c = 0; c < keys.length; c++) {
            keys[c] = r.keyOf(c);
            slots[c] = r.slotOf(c);
        }
        return new ChunkTable(store, store, keys, slots, r.columns(), r.rows(), r.success(), FrameStore.owner(r));
    }

    /** The same cells read through {@code snapshot} (a new, empty cache). */
    public ChunkTable at(Reads snapshot) {
        return new ChunkTable(store, snapshot, keys, slots, columns, rows, complete, owner);
    }

    private static long[] filled(int n, long key) {
        long[] out = new long[n];
        java.util.Arrays.fill(out, key);
        return out;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public Object value(int column, long row) {
        long key = keys[column];
        if (key == 0) {
            return null;
        }
        long chunk = row / Chunks.ROWS;
        int at = (int) (row % Chunks.ROWS);
        Chunk recent = last.get(column);
        if (recent != null && recent.chunk() == chunk) {
            return at < recent.values().size() ? recent.values().get(at) : null;
        }
        long cacheKey = ((long) column << 40) | chunk;
        List<Object> values;
        synchronized (cache) {
            values = cache.get(cacheKey);
        }
        if (values == null) {
            byte[] v = reads.get(Family.DATA, Keys.cell(key, slots[column], chunk));
            values = new ArrayList<>(Chunks.ROWS);
            if (v != null) {
                Chunks.decode(columns.get(column).type(), v, values);
            }
            if (complete && v == null) {
                throw FrameStore.missing(owner, columns.get(column), chunk, rows);
            }
            if (complete && values.size() < FrameStore.chunkRows(chunk, rows)) {
                throw FrameStore.shortChunk(owner, columns.get(column), chunk, values.size(), rows);
            }
            synchronized (cache) {
                cache.put(cacheKey, values);
            }
        }
        last.set(column, new Chunk(chunk, values));
        return at < values.size() ? values.get(at) : null;
    }
}
