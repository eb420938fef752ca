package dev.tablevault.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams the rows of one instance from a consistent snapshot, holding only a chunk in memory. Not thread
 * safe. Must be closed: it pins native resources until then.
 *
 * <p>Rows come one at a time ({@link #next}, a {@code List<Object>} that boxes its values) or as columnar
 * batches ({@link #nextBatch}, a {@link Frame} whose vectors hold the values unboxed), in any mix: both read
 * from the same position, so every row is returned once, in order, by one or the other. {@link #hasNext} says
 * whether either has rows left.
 */
public interface RowCursor extends Iterator<List<Object>>, AutoCloseable {
    /** The most rows one {@link #nextBatch} returns: the rows of one stored chunk. */
    int MAX_BATCH_ROWS = 1024;

    /** The columns of each row, in order. */
    List<Column> columns();

    /** The instance being read. */
    String instanceId();

    /**
     * For a partial read (a temporary instance an active process is building), where that process was at the
     * checkpoint this cursor shows; null otherwise.
     */
    default InstanceProgress progress() {
        return null;
    }

    /** {@link #nextBatch(int)} with {@link #MAX_BATCH_ROWS}: the rest of the current stored chunk, or the next one. */
    default Frame nextBatch() {
        return nextBatch(MAX_BATCH_ROWS);
    }

    /**
     * The next rows as a frame with {@link #columns()}: at least one row, at most {@code maxRows} and at most
     * {@link #MAX_BATCH_ROWS}. The engine's cursors never go past the end of a stored chunk ({@link
     * #MAX_BATCH_ROWS} rows; the last may be shorter), so after a {@link #next} they return at most the rest of
     * that row's chunk, and they decode each chunk straight into the frame's vectors, without boxing; this
     * default collects rows from {@link #next}. The frame is immutable and its own: it stays valid after the
     * cursor moves on or is closed.
     *
     * @throws NoSuchElementException when no rows are left ({@link #hasNext} is false)
     * @throws IllegalArgumentException for {@code maxRows} below 1
     */
    default Frame nextBatch(int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows " + maxRows + " < 1");
        }
        if (!hasNext()) {
            throw new NoSuchElementException("no rows left in " + instanceId());
        }
        List<Column> cols = columns();
        List<ColumnVector.Builder> out = new ArrayList<>(cols.size());
        int n = Math.min(maxRows, MAX_BATCH_ROWS);
        cols.forEach(c -> out.add(ColumnVector.builder(c.type(), n)));
        for (int r = 0; r < n && hasNext(); r++) {
            List<Object> row = next();
            for (int c = 0; c < out.size(); c++) {
                out.get(c).append(row.get(c));
            }
        }
        return Frame.ofVectors(cols, out.stream().map(ColumnVector.Builder::build).toList());
    }

    @Override
    void close();
}
