package dev.tablevault.engine.data;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceProgress;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.KeyRange;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.ReadView;
import dev.tablevault.engine.store.Reads;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * Cells of instances in the {@code data} family: one value per key {@code (instance, column, chunk)} holding
 * {@link Chunks#ROWS} rows of one column. Stateless.
 *
 * <p>A <em>complete</em> column (of a successful instance, or a finished step) has every chunk, each holding
 * at least its rows: every writer stores whole chunks, nulls included. A chunk missing there is damage and reads
 * as {@code CORRUPTION}; only an unsuccessful instance (stopped, reverted) reads missing chunks as nulls.
 */
public final class FrameStore {
    private FrameStore() {
    }

    /**
     * Adds rows {@code [from, to)} of every column of {@code frame}, chunk by chunk, while the chunks' bytes (keys
     * and values) stay within {@code maxBytes}; always at least the first chunk of rows, which may be larger.
     * {@code from} must be chunk-aligned. Returns the row it stopped before: {@code to}, or the start of the first
     * chunk of rows left out.
     */
    public static int putRows(Batch b, long key, Frame frame, int from, int to, long maxBytes) {
        long bytes = 0;
        for (int r = from; r < to; r += Chunks.ROWS) {
            int end = Math.min(to, r + Chunks.ROWS);
            byte[][] keys = new byte[frame.columnCount()][];
            byte[][] values = new byte[frame.columnCount()][];
            long size = 0;
            for (int c = 0; c < frame.columnCount(); c++) {
                keys[c] = Keys.cell(key, c, r / Chunks.ROWS);
                values[c] = Chunks.encode(frame.vector(c), r, end, frame.columns().get(c).name(), r);
                size += keys[c].length + values[c].length;
            }
            if (r > from && bytes + size > maxBytes) {
                return r;
            }
            bytes += size;
            for (int c = 0; c < keys.length; c++) {
                b.put(Family.DATA, keys[c], values[c]);
            }
        }
        return to;
    }

    /**
     * The {@code rows} values of the column in slot {@code slot} under {@code key} (none when {@code key} is 0),
     * decoded straight into a vector; {@code complete}: every chunk must be there (see the class comment),
     * {@code owner} names the instance in errors.
     *
     * @throws TvStorageException {@code CORRUPTION} for a chunk missing or short in a complete column
     */
    public static ColumnVector readColumn(Backend s, Reads reads, long key, int slot, Column column, long rows,
                                          boolean complete, String owner) {
        if (rows > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(owner + " has " + rows + " rows; a frame holds at most "
                    + (Integer.MAX_VALUE - 8));
        }
        ColumnVector.Builder out = ColumnVector.builder(column.type(), key == 0 ? 0 : (int) rows);
        if (key == 0) {
            return out.build();
        }
        reads.scan(Family.DATA, Keys.cellColumnStart(key, slot), (k, v) -> {
            long chunk = Keys.cellChunk(k);
            long start = chunk * Chunks.ROWS;
            if (complete && start != out.size()) {
                throw missing(owner, column, out.size() / Chunks.ROWS, rows);
            }
            if (start >= rows) {
                return false;
            }
            out.appendNulls((int) (start - out.size()));
            int n = Chunks.decode(column.type(), v, 0, v.length, out, (int) (rows - start));
            if (complete && start + n < Math.min(rows, start + Chunks.ROWS)) {
                throw shortChunk(owner, column, chunk, n, rows);
            }
            return out.size() < rows;
        });
        if (complete && out.size() < rows) {
            throw missing(owner, column, out.size() / Chunks.ROWS, rows);
        }
        out.appendNulls((int) (rows - out.size()));
        return out.build();
    }

    /** The rows chunk {@code chunk} must hold in a complete column of {@code rows} rows. */
    static int chunkRows(long chunk, long rows) {
        return (int) Math.min(Chunks.ROWS, rows - chunk * Chunks.ROWS);
    }

    /** A chunk of a complete column that is not stored. */
    public static TvStorageException missing(String owner, Column column, long chunk, long rows) {
        long first = chunk * Chunks.ROWS;
        return damaged(owner + ": the cells of column '" + column.name() + "', rows " + first + " to "
                + (first + chunkRows(chunk, rows) - 1) + " (chunk " + chunk + "), are missing");
    }

    /**
     * A chunk of a complete column that holds fewer values than its rows. (More is harmless: the last chunk of
     * an index that a re-execution extended by kept rows holds them too.)
     */
    static TvStorageException shortChunk(String owner, Column column, long chunk, long values, long rows) {
        return damaged(owner + ": chunk " + chunk + " of column '" + column.name() + "' holds only " + values
                + " of its " + chunkRows(chunk, rows) + " values");
    }

    private static TvStorageException damaged(String what) {
        return new TvStorageException(ErrorCode.CORRUPTION, what + ", though every chunk was written whole;"
                + " run 'tv verify'; restore from a backup or 'tv recover'");
    }

    /** How errors name the instance of record {@code r}. */
    public static String owner(InstanceRecord r) {
        return "instance " + r.id() + " of table '" + r.table() + "'";
    }

    /** Cells never written (a partial result: rows a stopped execution did not reach) read as nulls. */
    public static Frame read(Backend s, Reads reads, InstanceRecord r) {
        List<ColumnVector> cols = new ArrayList<>();
        for (int c = 0; c < r.columns().size(); c++) {
            cols.add(readColumn(s, reads, r.keyOf(c), r.slotOf(c), r.columns().get(c), r.rows(), r.success(),
                    owner(r)));
        }
        return Frame.ofVectors(r.columns(), cols);
    }

    /**
     * SHA-256 of a frame's columns and values, as resume compares them.
     *
     * @throws dev.tablevault.api.TvArgumentException for an OBJECT value that cannot be stored
     */
    public static String digest(Frame f) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int c = 0; c < f.columnCount(); c++) {
                Column col = f.columns().get(c);
                md.update((col.name() + "\0" + col.type() + "\0").getBytes(StandardCharsets.UTF_8));
                for (int r = 0; r < f.rowCount(); r += Chunks.ROWS) {
                    md.update(Chunks.encode(f.vector(c), r, Math.min(f.rowCount(), r + Chunks.ROWS), col.name(),
                            r));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java 17 runtime", e);
        }
    }

    /**
     * A cursor over one instance on a snapshot it owns; checks chunks as {@link #readColumn} does. Rows come one at
     * a time ({@link #next}, decoded straight into the boxed values they hand out) or a chunk at a time, as a frame
     * ({@link #nextBatch}, decoded straight into vectors), the two in any mix; or a stored chunk at a time as
     * stored ({@link #nextChunk}, what the owner streams to other OS processes without decoding), which is not
     * mixed with the others.
     */
    public static final class Cursor implements RowCursor {
        private final ReadView view;
        private final InstanceRecord r;
        private final InstanceProgress progress;
        /** Per column: cells may sit under another instance's key (a column carried over unchanged). */
        private final KeyRange[] its;
        /**
         * The current chunk's values by column, boxed when {@link #next} decoded it (new arrays per chunk: rows
         * handed out keep theirs), else null.
         */
        private Object[][] buf;
        /** The current chunk's values by column when {@link #nextBatch} decoded it, else null. */
        private ColumnVector[] vectors;
        /** Rows of the current chunk handed out, and held. */
        private int pos;
        private int size;
        private long chunk;
        /** Rows in all, and rows not loaded from the store yet. */
        private final long rows;
        private long remaining;
        private boolean closed;

        /**
         * The stored chunks of one chunk's rows: {@code cells[c]} is column c's chunk as stored, or null where none
         * was written (those rows read as nulls). A chunk may hold fewer values than {@code rows} (the rest read as
         * nulls) or, the last one, more (dropped).
         */
        public record Chunk(int rows, byte[][] cells) {
        }

        /** {@code progress}: for a partial read, where the process building the instance is; else null. */
        public Cursor(ReadView view, InstanceRecord r, InstanceProgress progress) {
            this.view = view;
            this.r = r;
            this.progress = progress;
            this.its = new KeyRange[r.columns().size()];
            this.rows = r.key() == 0 || its.length == 0 ? 0 : r.rows();
            this.remaining = rows;
            try {
                for (int c = 0; c < its.length; c++) {
                    its[c] = view.range(Family.DATA, Keys.cellColumnStart(r.keyOf(c), r.slotOf(c)),
                            Keys.cellColumnStart(r.keyOf(c), r.slotOf(c) + 1));
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public List<Column> columns() {
            return r.columns();
        }

        @Override
        public String instanceId() {
            return r.id();
        }

        @Override
        public InstanceProgress progress() {
            return progress;
        }

        /** The rows this cursor reads in all. */
        public long rowCount() {
            return rows;
        }

        @Override
        public boolean hasNext() {
            return pos < size || remaining > 0;
        }

        @Override
        public List<Object> next() {
            if (!hasNext()) {
                throw new NoSuchElementException("cursor over " + r.id() + " is exhausted");
            }
            if (pos == size) {
                Chunk k = nextChunk();
                buf = new Object[its.length][];
                vectors = null;
                for (int c = 0; c < its.length; c++) {
                    // Straight to the boxed values the rows hand out: decoding into a vector and boxing on read
                    // measured 0.25x the typed decoder alone, against 0.7-0.9x for this.
                    List<Object> col = new ArrayList<>(k.rows());
                    byte[] cell = k.cells()[c];
                    if (cell != null) {
                        Chunks.decode(r.columns().get(c).type(), cell, col);
                    }
                    buf[c] = col.size() < k.rows() ? Arrays.copyOf(col.toArray(), k.rows()) : col.toArray();
                }
                size = k.rows();
                pos = 0;
            }
            if (buf == null) { // a nextBatch decoded this chunk: box this row's values from its vectors
                Object[] row = new Object[vectors.length];
                for (int c = 0; c < row.length; c++) {
                    row[c] = vectors[c].get(pos);
                }
                pos++;
                return Collections.unmodifiableList(Arrays.asList(row));
            }
            return new Row(buf, pos++);
        }

        @Override
        public Frame nextBatch(int maxRows) {
            if (maxRows < 1) {
                throw new IllegalArgumentException("maxRows " + maxRows + " < 1");
            }
            if (!hasNext()) {
                throw new NoSuchElementException("cursor over " + r.id() + " is exhausted");
            }
            if (pos == size) {
                Chunk k = nextChunk();
                vectors = new ColumnVector[its.length];
                buf = null;
                for (int c = 0; c < its.length; c++) {
                    ColumnVector.Builder b = ColumnVector.builder(r.columns().get(c).type(), k.rows());
                    byte[] cell = k.cells()[c];
                    if (cell != null) {
                        Chunks.decode(b.type(), cell, 0, cell.length, b, k.rows());
                    }
                    vectors[c] = b.appendNulls(k.rows() - b.size()).build();
                }
                size = k.rows();
                pos = 0;
            }
            int n = Math.min(maxRows, size - pos);
            List<ColumnVector> out = new ArrayList<>(its.length);
            for (int c = 0; c < its.length; c++) {
                if (vectors != null && pos == 0 && n == size) {
                    out.add(vectors[c]); // the whole chunk: its vectors are immutable, so shared
                    continue;
                }
                ColumnVector.Builder b = ColumnVector.builder(r.columns().get(c).type(), n);
                if (vectors != null) {
                    b.appendFrom(vectors[c], pos, pos + n);
                } else { // next() decoded this chunk boxed
                    for (int i = pos; i < pos + n; i++) {
                        b.append(buf[c][i]);
                    }
                }
                out.add(b.build());
            }
            pos += n;
            return Frame.ofVectors(r.columns(), out);
        }

        /** A row of the current chunk (unmodifiable). */
        private static final class Row extends AbstractList<Object> implements RandomAccess {
            private final Object[][] columns;
            private final int at;

            Row(Object[][] columns, int at) {
                this.columns = columns;
                this.at = at;
            }

            @Override
            public Object get(int index) {
                return columns[index][at];
            }

            @Override
            public int size() {
                return columns.length;
            }
        }

        /**
         * The next chunk's rows as stored, checked as {@link #next} checks them (a chunk missing or short in a
         * complete column is {@code CORRUPTION}).
         *
         * @throws NoSuchElementException past the last row
         */
        public Chunk nextChunk() {
            if (closed) {
                throw new IllegalStateException("cursor over " + r.id() + " is closed");
            }
            if (remaining <= 0) {
                throw new NoSuchElementException("cursor over " + r.id() + " is exhausted");
            }
            int n = (int) Math.min(Chunks.ROWS, remaining);
            byte[][] cells = new byte[its.length][];
            for (int c = 0; c < its.length; c++) {
                KeyRange it = its[c];
                Column column = r.columns().get(c);
                byte[] want = Keys.cell(r.keyOf(c), r.slotOf(c), chunk);
                if (it.valid() && java.util.Arrays.equals(it.key(), want)) {
                    cells[c] = it.value();
                    it.next();
                } else if (r.success()) {
                    throw missing(owner(r), column, chunk, r.rows());
                }
                // In an unsuccessful instance, a chunk never written (rows not reached), or a short one, reads
                // as nulls.
                if (r.success() && Chunks.count(cells[c]) < n) {
                    throw shortChunk(owner(r), column, chunk, Chunks.count(cells[c]), r.rows());
                }
            }
            chunk++;
            remaining -= n;
            return new Chunk(n, cells);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (int c = 0; c < its.length; c++) {
                if (its[c] != null) {
                    its[c].close();
                }
            }
            view.close();
        }
    }
}
