package dev.tablevault.engine.ref;

import dev.tablevault.api.ColumnType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a {@link Resolver} builds from one column of a table, once: the rows of each value (equality index) and
 * the column's cells in an array (for lookups at scattered rows, where reading chunk by chunk would decode a
 * whole chunk per cell). Stateless.
 */
final class ColumnIndex {
    private ColumnIndex() {
    }

    /** The rows of each value of a column: ascending, shared (callers must not change them). */
    interface Equality {
        /** The rows holding {@code v}, a non-null value of the column's type; empty when none. */
        long[] rows(Object v);
    }

    /**
     * The equality index of {@code col}; null cells are left out. Values match by {@code equals}, which for every
     * type a condition accepts (numbers, booleans, text, timestamps, durations) agrees with {@code compareTo}.
     * A LONG column's keys are held unboxed (up to {@link Longs#MAX_ROWS} rows).
     */
    static Equality equalities(RefTable t, int col) {
        if (t.columns().get(col).type() == ColumnType.LONG && t.rows() <= Longs.MAX_ROWS) {
            return new Longs(t, col);
        }
        Map<Object, long[]> out = new HashMap<>();
        // Most keys are unique: a second occurrence moves the key to a growable buffer, copied back at the end.
        Map<Object, Rows> repeated = new HashMap<>();
        for (long row = 0; row < t.rows(); row++) {
            Object v = t.value(col, row);
            if (v != null) {
                long[] first = out.putIfAbsent(v, new long[] {row});
                if (first != null) {
                    repeated.computeIfAbsent(v, x -> new Rows(first[0])).add(row);
                }
            }
        }
        repeated.forEach((v, rows) -> out.put(v, rows.toArray()));
        return v -> out.getOrDefault(v, NONE);
    }

    /** Value -> its rows in value order, for range conditions; null cells are left out. */
    static NavigableMap<Object, long[]> sorted(RefTable t, int col) {
        TreeMap<Object, Rows> m = new TreeMap<>();
        for (long row = 0; row < t.rows(); row++) {
            Object v = t.value(col, row);
            if (v != null) {
                Rows r = m.get(v);
                if (r == null) {
                    m.put(v, new Rows(row));
                } else {
                    r.add(row);
                }
            }
        }
        TreeMap<Object, long[]> out = new TreeMap<>();
        m.forEach((v, rows) -> out.put(v, rows.toArray()));
        return out;
    }

    private static final long[] NONE = new long[0];

    /**
     * A LONG column's equality index. Each key has a code: its row plus one, or minus one minus its place in
     * {@code repeated} for a key held by several rows, or 0 for none. Keys spanning less than twice the rows (ids
     * from {@code range}, say) are dense: {@code slots} holds the code of each key from the smallest, one memory
     * access per lookup. Other keys are hashed by open addressing: {@code slots} holds key and code side by side.
     */
    private static final class Longs implements Equality {
        /** At most half the slots of a hashed index are used, and at most 2^29 of them are allocated. */
        static final long MAX_ROWS = 1 << 28;
        private final boolean dense;
        /** The smallest key of a dense index. */
        private final long base;
        private final long[] slots;
        private final int mask;
        private final List<long[]> repeated = new ArrayList<>();

        Longs(RefTable t, int col) {
            int n = (int) t.rows();
            long[] keys = new long[n];
            BitSet nulls = new BitSet();
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int row = 0; row < n; row++) {
                Object v = t.value(col, row);
                if (v == null) {
                    nulls.set(row);
                } else {
                    keys[row] = (Long) v;
                    min = Math.min(min, keys[row]);
                    max = Math.max(max, keys[row]);
                }
            }
            long span = max - min; // negative when it overflows
            dense = min <= max && span >= 0 && span < 2L * n;
            base = min;
            int cap = Integer.highestOneBit(Math.max(8, 2 * n) - 1) << 1;
            slots = new long[dense ? (int) span + 1 : 2 * cap];
            mask = cap - 1;
            List<Rows> growing = new ArrayList<>();
            for (int row = 0; row < n; row++) {
                if (nulls.get(row)) {
                    continue;
                }
                int at = code(keys[row]);
                long r = slots[at];
                if (r == 0) {
                    slots[at] = row + 1;
                    if (!dense) {
                        slots[at - 1] = keys[row];
                    }
                } else if (r > 0) {
                    growing.add(new Rows(r - 1));
                    growing.get(growing.size() - 1).add(row);
                    slots[at] = -growing.size();
                } else {
                    growing.get((int) (-r - 1)).add(row);
                }
            }
            growing.forEach(r -> repeated.add(r.toArray()));
        }

        /** Where {@code k}'s code is (or goes), or -1 for a key outside a dense index's span. */
        private int code(long k) {
            if (dense) {
                long d = k - base; // a key below the base would wrap around: checked first
                return k >= base && d >= 0 && d < slots.length ? (int) d : -1;
            }
            int h = (int) (k * 0x9E3779B97F4A7C15L >>> 32) & mask;
            while (slots[2 * h + 1] != 0 && slots[2 * h] != k) {
                h = (h + 1) & mask;
            }
            return 2 * h + 1;
        }

        @Override
        public long[] rows(Object v) {
            int at = code((Long) v);
            long r = at < 0 ? 0 : slots[at];
            return r == 0 ? NONE : r > 0 ? new long[] {r - 1} : repeated.get((int) (-r - 1));
        }
    }

    /** A column's cells held in memory. */
    interface Cells {
        Object value(long row);
    }

    /**
     * The cells of {@code col} held in memory (a LONG column unboxed), or null when they would take more than
     * about {@code budget} bytes of heap (or hold OBJECT values, whose size is unknown): the caller then reads
     * through the table.
     */
    static Cells cells(RefTable t, int col, long budget) {
        long n = t.rows();
        if (n > Integer.MAX_VALUE - 8 || n * 8 > budget) {
            return null;
        }
        if (t.columns().get(col).type() == ColumnType.LONG) {
            long[] values = new long[(int) n];
            BitSet nulls = new BitSet();
            for (int row = 0; row < n; row++) {
                Object v = t.value(col, row);
                if (v == null) {
                    nulls.set(row);
                } else {
                    values[row] = (Long) v;
                }
            }
            return nulls.isEmpty() ? row -> values[(int) row] : row -> nulls.get((int) row) ? null : values[(int) row];
        }
        Object[] out = new Object[(int) n];
        long bytes = n * 8;
        for (int row = 0; row < n; row++) {
            Object v = t.value(col, row);
            long size = size(v);
            bytes += size;
            if (size < 0 || bytes > budget) {
                return null;
            }
            out[row] = v;
        }
        return row -> out[(int) row];
    }

    /** About the heap a cell takes beyond its reference, or -1 when unknown. */
    private static long size(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof String s) {
            return 56 + 2L * s.length();
        }
        if (v instanceof byte[] b) {
            return 16 + (long) b.length;
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof Instant || v instanceof Duration) {
            return 24;
        }
        return -1;
    }

    /** A growable list of ascending rows. */
    private static final class Rows {
        private long[] rows = new long[4];
        private int size;

        Rows(long first) {
            add(first);
        }

        void add(long row) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
            }
            rows[size++] = row;
        }

        long[] toArray() {
            return Arrays.copyOf(rows, size);
        }
    }
}
