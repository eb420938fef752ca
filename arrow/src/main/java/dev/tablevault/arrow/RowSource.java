package dev.tablevault.arrow;

import dev.tablevault.api.Column;
import dev.tablevault.api.RowCursor;
import dev.tablevault.engine.data.FrameStore;
import dev.tablevault.engine.store.Chunks;

import java.util.List;

/** The rows of one instance's chosen columns, a stored chunk (or up to 1,024 rows) at a time. One thread. */
interface RowSource extends AutoCloseable {
    /**
     * Replaces the values in {@code cols} (one reused list per column) with the next rows' and returns how many
     * there are (the same in each list), or -1 after the last row.
     */
    int next(List<List<Object>> cols);

    @Override
    void close();

    /** Stored chunks through the engine's cursor on a pinned snapshot, decoded (only the chosen columns). */
    static RowSource chunks(FrameStore.Cursor cursor, List<Column> columns) {
        return new RowSource() {
            @Override
            public int next(List<List<Object>> cols) {
                if (!cursor.hasNext()) {
                    return -1;
                }
                FrameStore.Cursor.Chunk chunk = cursor.nextChunk();
                int n = chunk.rows();
                for (int c = 0; c < cols.size(); c++) {
                    List<Object> col = cols.get(c);
                    col.clear();
                    byte[] cell = chunk.cells()[c];
                    if (cell != null) {
                        Chunks.decode(columns.get(c).type(), cell, col);
                    }
                    // A chunk never written reads as nulls, a short one has nulls after its values, and the last
                    // one may hold values past the instance's rows, which are not read (see FrameStore.Cursor).
                    if (col.size() > n) {
                        col.subList(n, col.size()).clear();
                    }
                    while (col.size() < n) {
                        col.add(null);
                    }
                }
                return n;
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    /** Rows of any {@link RowCursor} (another OS process's owner, a builder's view), columns at {@code positions}. */
    static RowSource rows(RowCursor cursor, int[] positions) {
        return new RowSource() {
            @Override
            public int next(List<List<Object>> cols) {
                cols.forEach(List::clear);
                int n = 0;
                while (n < Chunks.ROWS && cursor.hasNext()) {
                    List<Object> row = cursor.next();
                    for (int c = 0; c < positions.length; c++) {
                        cols.get(c).add(row.get(positions[c]));
                    }
                    n++;
                }
                return n == 0 ? -1 : n;
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }
}
