package dev.tablevault.engine.ref;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What a {@link Resolver} builds from one column of a table, once: the rows of each value (equality index) and
 * the column's cells in an array (for lookups at scattered rows, where reading chunk by chunk would decode a
 * whole chunk per cell). Stateless.
 */
final class ColumnIndex {
    private ColumnIndex() {
    }

    /**
     * Value -> its rows, ascending; null cells are left out. Values match by {@code equals}, which for every
     * type a condition accepts (numbers, booleans, text, timestamps, durations) agrees with {@code compareTo}.
     * The arrays are shared: callers must not change them.
     */
    static Map<Object, long[]> equalities(RefTable t, int col) {
        long n = t.rows();
        Map<Object, long[]> out = new HashMap<>();
        // Most keys are unique: a second occurrence moves the key to a growable buffer, copied back at the end.
        Map<Object, Rows> repeated = new HashMap<>();
        for (long row = 0; row < n; row++) {
            Object v = t.value(col, row);
            if (v == null) {
                continue;
            }
            long[] first = out.putIfAbsent(v, new long[] {row});
            if (first != null) {
                repeated.computeIfAbsent(v, x -> new Rows(first[0])).add(row);
            }
        }
        repeated.forEach((v, rows) -> out.put(v, rows.toArray()));
        return out;
    }

    /**
     * The cells of {@code col}, or null when they would take more than about {@code budget} bytes of heap (or
     * hold OBJECT values, whose size is unknown): the caller then reads through the table.
     */
    static Object[] cells(RefTable t, int col, long budget) {
        long n = t.rows();
        if (n > Integer.MAX_VALUE - 8 || n * 8 > budget) {
            return null;
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
        return out;
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
