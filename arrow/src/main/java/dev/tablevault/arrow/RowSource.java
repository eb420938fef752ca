package dev.tablevault.arrow;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.Frame;
import dev.tablevault.api.RowCursor;
import dev.tablevault.engine.data.FrameStore;
import dev.tablevault.engine.store.Chunks;

import java.util.List;

/** The rows of one instance's chosen columns, a stored chunk (or up to 1,024 rows) at a time. One thread. */
interface RowSource extends AutoCloseable {
    /**
     * Replaces {@code cols} (one slot per chosen column) with vectors of the next rows' values and returns how many
     * rows there are (each vector's size), or -1 after the last row.
     */
    int next(ColumnVector[] cols);

    @Override
    void close();

    /** Stored chunks through the engine's cursor on a pinned snapshot, decoded without boxing (the chosen columns). */
    static RowSource chunks(FrameStore.Cursor cursor, List<Column> columns) {
        return new RowSource() {
            @Override
            public int next(ColumnVector[] cols) {
                if (!cursor.hasNext()) {
                    return -1;
                }
                FrameStore.Cursor.Chunk chunk = cursor.nextChunk();
                int n = chunk.rows();
                for (int c = 0; c < cols.length; c++) {
                    ColumnVector.Builder b = ColumnVector.builder(columns.get(c).type(), n);
                    byte[] cell = chunk.cells()[c];
                    // A chunk never written reads as nulls, a short one has nulls after its values, and the last
                    // one may hold values past the instance's rows, which are not read (see FrameStore.Cursor).
                    if (cell != null) {
                        Chunks.decode(columns.get(c).type(), cell, 0, cell.length, b, n);
                    }
                    b.appendNulls(n - b.size());
                    cols[c] = b.build();
                }
                return n;
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    /**
     * Rows of any {@link RowCursor} (another OS process's owner, a builder's view), columns at {@code positions}, a
     * batch at a time ({@link RowCursor#nextBatch}: the engine's cursors decode it without boxing).
     */
    static RowSource rows(RowCursor cursor, int[] positions) {
        return new RowSource() {
            @Override
            public int next(ColumnVector[] cols) {
                if (!cursor.hasNext()) {
                    return -1;
                }
                Frame batch = cursor.nextBatch();
                for (int c = 0; c < positions.length; c++) {
                    cols[c] = batch.vector(positions[c]);
                }
                return batch.rowCount();
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }
}
