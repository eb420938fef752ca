package dev.tablevault.engine.exec;

import dev.tablevault.api.Column;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.data.ChunkTable;
import dev.tablevault.engine.ref.RefTable;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Reads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which origin row each row of a re-executed instance corresponds to. Rows are matched on the index
 * builder's primary key, or by position without one; with {@code keepOld}, origin rows the new index does not
 * have are appended after the new rows, in origin order (without a primary key: the origin rows past the new
 * row count). Computed from committed data, so a resume computes the same. Holds one long per row, and while
 * the key sequences differ, a map of the origin's keys. Immutable.
 */
final class Alignment {
    private final long[] map;
    private final long indexRows;
    private final boolean identity;
    private final boolean allMapped;

    private Alignment(long[] map, long indexRows, boolean identity) {
        this.map = map;
        this.indexRows = indexRows;
        this.identity = identity;
        this.allMapped = Arrays.stream(map).allMatch(m -> m >= 0);
    }

    /** The origin row of {@code row}, or -1 for a new one. */
    long origin(long row) {
        return map[(int) row];
    }

    /** Rows including kept ones. */
    long rows() {
        return map.length;
    }

    /** Rows the index builder produced; the rest are kept origin rows. */
    long indexRows() {
        return indexRows;
    }

    /** True when every row is the origin's row at the same position, and no other. */
    boolean identity() {
        return identity;
    }

    /** True when every row has an origin row. */
    boolean allMapped() {
        return allMapped;
    }

    /**
     * Aligns the {@code n} rows the index step committed under {@code key} (columns {@code index}) with
     * {@code origin}, reading cells through {@code reads}.
     *
     * @throws TvBuilderException when the new rows hold a null or repeated primary key
     */
    static Alignment of(Backend store, Reads reads, InstanceRecord origin, String builder, List<Column> index,
                        List<String> pk, long key, long n, boolean keepOld) {
        checkFits(builder, n, origin.rows(), keepOld, Runtime.getRuntime().maxMemory());
        return of(new ChunkTable(store, key, index, n).at(reads), ChunkTable.of(store, origin).at(reads), builder, pk,
                keepOld);
    }

    /**
     * Refuses an alignment whose row map (a long per row) cannot fit: past three quarters of the heap the
     * execution would end in an {@code OutOfMemoryError} after reading the index, and past the largest array at
     * once. The origin's key map, built only when the key sequences differ, is not counted, so nothing that fits
     * today is refused.
     *
     * @throws TvBuilderException {@code BAD_BUILDER} naming the sizes and the ways out
     */
    static void checkFits(String builder, long rows, long originRows, boolean keepOld, long maxHeap) {
        long total = rows + (keepOld ? originRows : 0);
        long bytes = 8 * total;
        if (total > Integer.MAX_VALUE - 8 || bytes > maxHeap / 4 * 3) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + builder + "': re-executing " + rows
                    + " rows against an origin of " + originRows + " rows needs " + (bytes >> 20) + " MiB to align"
                    + " them, more than the " + (maxHeap >> 20) + " MiB heap can give; raise -Xmx, or execute with"
                    + " force to build every row anew without aligning");
        }
    }

    /**
     * Aligns the rows of {@code now} with those of {@code old} (the origin) on {@code pk}, columns found by name.
     * The store-free core of {@link #of(Backend, Reads, InstanceRecord, String, List, List, long, long, boolean)}, so
     * it can be tested on in-memory tables.
     */
    static Alignment of(RefTable now, RefTable old, String builder, List<String> pk, boolean keepOld) {
        long n = now.rows();
        int[] nowPk = positions(now.columns(), pk);
        int[] oldPk = positions(old.columns(), pk);
        if (pk.isEmpty()) {
            long keep = keepOld ? Math.max(0, old.rows() - n) : 0;
            long[] map = new long[(int) (n + keep)];
            Arrays.setAll(map, i -> i < old.rows() ? i : -1);
            return new Alignment(map, n, n == old.rows());
        }
        if (oldPk == null) { // the origin lacks the key columns: no row matches
            long[] map = new long[(int) n];
            Arrays.fill(map, -1);
            return new Alignment(map, n, false);
        }
        boolean same = n == old.rows();
        for (long r = 0; r < n; r++) {
            List<Object> k = keyOf(now, nowPk, r);
            if (k.contains(null)) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + builder + "' produced a null"
                        + " primary key " + pk + " at row " + r + "; every row needs a key");
            }
            if (same && !k.equals(keyOf(old, oldPk, r))) {
                same = false;
            }
        }
        if (same) {
            long[] map = new long[(int) n];
            Arrays.setAll(map, i -> i);
            return new Alignment(map, n, true);
        }
        Map<List<Object>, Long> byKey = new HashMap<>();
        for (long r = old.rows() - 1; r >= 0; r--) {
            byKey.put(keyOf(old, oldPk, r), r); // the first of repeated origin keys wins
        }
        Map<List<Object>, Long> seen = new HashMap<>();
        boolean[] used = new boolean[(int) old.rows()];
        List<Long> map = new ArrayList<>();
        for (long r = 0; r < n; r++) {
            List<Object> k = keyOf(now, nowPk, r);
            Long before = seen.put(k, r);
            if (before != null) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + builder + "' produced primary key "
                        + k + " at rows " + before + " and " + r + "; keys " + pk + " must be unique");
            }
            Long o = byKey.get(k);
            map.add(o == null ? -1 : o);
            if (o != null) {
                used[(int) (long) o] = true;
            }
        }
        if (keepOld) {
            for (int r = 0; r < used.length; r++) {
                if (!used[r]) {
                    map.add((long) r);
                }
            }
        }
        return new Alignment(map.stream().mapToLong(Long::longValue).toArray(), n, false);
    }

    private static List<Object> keyOf(RefTable t, int[] cols, long row) {
        List<Object> k = new ArrayList<>(cols.length);
        for (int c : cols) {
            k.add(t.value(c, row));
        }
        return k;
    }

    /** Positions of {@code names} in {@code columns}, or null when one is missing. */
    private static int[] positions(List<Column> columns, List<String> names) {
        int[] out = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            out[i] = -1;
            for (int c = 0; c < columns.size(); c++) {
                if (columns.get(c).name().equals(names.get(i))) {
                    out[i] = c;
                }
            }
            if (out[i] < 0) {
                return null;
            }
        }
        return out;
    }
}
