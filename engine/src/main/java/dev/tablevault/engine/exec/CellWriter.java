package dev.tablevault.engine.exec;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Frame;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.ChunkSizes;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Buffers one builder's results by row and writes them as whole cell chunks: a chunk touched by a checkpoint
 * is written with every value it holds so far (committed ones are read back once), so rows may arrive in any
 * order. Memory is bounded by the chunks still open, not by the table. A whole-column builder's frame is taken
 * as row ranges instead ({@link #putFrame}) and its chunks encoded from its vectors, unboxed. Used by one thread.
 */
final class CellWriter {
    private final Backend store;
    private final long key;
    private final int firstColumn;
    private final List<Column> columns;
    /** Open chunks: chunk number to values by column and row within the chunk. */
    private final Map<Long, Object[][]> open = new TreeMap<>();
    /** Per open chunk: one more than its highest row buffered or read back. */
    private final Map<Long, int[]> length = new TreeMap<>();
    private final Set<Long> touched = new LinkedHashSet<>();
    /** Per open chunk: about the bytes its values take encoded ({@link Chunks#sizeBound}), read back ones included. */
    private final Map<Long, long[]> chunkBytes = new TreeMap<>();
    /**
     * About the bytes the next {@link #writeTo} adds: the touched chunks' and the frame's rows'. Counted only where
     * the backend bounds a batch's bytes ({@link #countBytes}); 0 otherwise.
     */
    private long pendingBytes;
    private final boolean countBytes;
    /** The rows buffered since the last write, {@code pending} of them. */
    private long[] pendingRows = new long[1024];
    private int pending;
    /** The chunk the last row went to and its values: rows in order find it without the maps. */
    private long lastChunk = -1;
    private Object[][] last;
    private int[] lastLength;
    private long[] lastBytes;
    /** No row at or above this was ever committed, so chunks starting there need no read-back. */
    private final long freshFrom;
    /** The whole-column frame {@link #putFrame} takes rows of (its row r is row r), or null. */
    private Frame frame;
    /** Rows {@code [frameFrom, frameTo)} of {@link #frame} are buffered since the last {@link #writeTo}. */
    private long frameFrom;
    private long frameTo;

    CellWriter(Backend store, long key, int firstColumn, List<Column> columns, long freshFrom) {
        this.freshFrom = freshFrom;
        this.store = store;
        this.key = key;
        this.firstColumn = firstColumn;
        this.columns = columns;
        this.countBytes = store.maxBatchBytes() != Long.MAX_VALUE;
    }

    /** Buffers a row's values (already checked against the column types). */
    void put(long row, List<Object> values) {
        long chunk = row / Chunks.ROWS;
        int at = (int) (row % Chunks.ROWS);
        if (chunk != lastChunk) {
            last = open.computeIfAbsent(chunk, this::load);
            lastLength = length.computeIfAbsent(chunk, k -> new int[1]);
            lastBytes = countBytes ? chunkBytes.computeIfAbsent(chunk, this::newChunkBytes) : null;
            if (touched.add(chunk) && countBytes) {
                pendingBytes += lastBytes[0]; // a touched chunk is written whole
            }
            lastChunk = chunk;
        }
        Object[][] c = last;
        lastLength[0] = Math.max(lastLength[0], at + 1);
        for (int i = 0; i < columns.size(); i++) {
            Object v = values.get(i);
            if (countBytes) {
                ColumnType type = columns.get(i).type();
                long size = ChunkSizes.sizeBound(type, v) - ChunkSizes.sizeBound(type, c[i][at]);
                lastBytes[0] += size;
                pendingBytes += size;
            }
            c[i][at] = v;
        }
        if (pending == pendingRows.length) {
            pendingRows = Arrays.copyOf(pendingRows, pending * 2);
        }
        pendingRows[pending++] = row;
    }

    /**
     * Buffers rows {@code [from, to)} of a whole-column frame (already checked), whose row r is row r: the first
     * range starts a chunk no committed row is in, and each one starts where the last ended.
     */
    void putFrame(Frame f, int from, int to) {
        if (frame == null ? from % Chunks.ROWS != 0 || from < freshFrom : f != frame || from != frameTo) {
            throw new IllegalStateException("rows " + from + " to " + to + " of a frame after rows up to " + frameTo);
        }
        if (frame == null || frameFrom == frameTo) {
            frameFrom = from;
            if (countBytes) {
                // the window's first chunk is written from its start
                int start = from / Chunks.ROWS * Chunks.ROWS;
                pendingBytes += frameBytes(f, start, from) + (long) ChunkSizes.CHUNK_OVERHEAD * f.columnCount();
            }
        }
        if (countBytes) {
            if (from % Chunks.ROWS == 0 && from != frameFrom) {
                pendingBytes += (long) ChunkSizes.CHUNK_OVERHEAD * f.columnCount();
            }
            pendingBytes += frameBytes(f, from, to);
        }
        frame = f;
        frameTo = to;
    }

    int pending() {
        return pending + (int) (frameTo - frameFrom);
    }

    /** About the bytes the next {@link #writeTo} adds (OBJECT values guessed): what cuts a checkpoint by bytes. */
    long pendingBytes() {
        return pendingBytes;
    }

    private static long frameBytes(Frame f, int from, int to) {
        long n = 0;
        for (int i = 0; i < f.columnCount(); i++) {
            n += ChunkSizes.sizeBound(f.vector(i), from, to);
        }
        return n;
    }

    /** How many rows {@link #put} buffered since the last {@link #writeTo} ({@link #pendingRow} gives them). */
    int pendingSingles() {
        return pending;
    }

    /** The rows {@link #putFrame} buffered since the last {@link #writeTo}: {@code [first, last)}. */
    long[] pendingFrameRows() {
        return new long[] {frameFrom, frameTo};
    }

    /** Row {@code i} of those {@link #put} buffered since the last {@link #writeTo}, {@code i < pendingSingles()}. */
    long pendingRow(int i) {
        return pendingRows[i];
    }

    /**
     * Adds every touched chunk to {@code b}; {@code rows} (or -1 while unknown) bounds the last chunk. Chunks
     * that hold every one of their rows are closed, as they will not be touched again.
     */
    void writeTo(Batch b, long rows) {
        for (long chunk : touched) {
            Object[][] c = open.get(chunk);
            int n = rows >= 0 ? (int) Math.min(Chunks.ROWS, rows - chunk * Chunks.ROWS) : length.get(chunk)[0];
            for (int i = 0; i < columns.size(); i++) {
                b.put(Family.DATA, Keys.cell(key, firstColumn + i, chunk),
                        Chunks.encode(columns.get(i).type(), Arrays.asList(c[i]), 0, n, columns.get(i).name(),
                                chunk * Chunks.ROWS));
            }
        }
        touched.clear();
        pending = 0;
        pendingBytes = 0;
        lastChunk = -1; // a later row of that chunk marks it touched again
        last = null;
        lastLength = null;
        for (long start = frameFrom / Chunks.ROWS * Chunks.ROWS; start < frameTo; start += Chunks.ROWS) {
            // Each chunk from its start (the frame holds its earlier rows too) to the last row taken; as above,
            // nulls pad it to its rows while they are known.
            int filled = (int) (Math.min(frameTo, start + Chunks.ROWS) - start);
            int n = rows >= 0 ? (int) Math.min(Chunks.ROWS, rows - start) : filled;
            for (int i = 0; i < columns.size(); i++) {
                b.put(Family.DATA, Keys.cell(key, firstColumn + i, start / Chunks.ROWS), Chunks.encode(frame.vector(i),
                        (int) start, (int) start + filled, n, columns.get(i).name(), start));
            }
        }
        frameFrom = frameTo;
    }

    /** Forgets chunks every row of which is committed: {@code done} says which rows are. */
    void closeChunks(RowTracker done, long rows) {
        lastChunk = -1;
        last = null;
        lastLength = null;
        open.keySet().removeIf(chunk -> {
            long start = chunk * Chunks.ROWS;
            long end = rows >= 0 ? Math.min(rows, start + Chunks.ROWS) : start + Chunks.ROWS;
            return done.allDone(start, end);
        });
        chunkBytes.keySet().retainAll(open.keySet());
    }

    /**
     * A chunk's values so far: none where no row of it was ever committed, else what is stored, read for every
     * column at once ({@link Backend#getAll}: one round trip on PostgreSQL).
     */
    private Object[][] load(long chunk) {
        Object[][] c = new Object[columns.size()][Chunks.ROWS];
        if (chunk * Chunks.ROWS >= freshFrom) {
            return c;
        }
        List<byte[]> keys = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            keys.add(Keys.cell(key, firstColumn + i, chunk));
        }
        List<byte[]> stored = store.getAll(Family.DATA, keys);
        long[] bytes = countBytes ? chunkBytes.computeIfAbsent(chunk, this::newChunkBytes) : new long[1];
        for (int i = 0; i < columns.size(); i++) {
            byte[] v = stored.get(i);
            if (v != null) {
                List<Object> values = new ArrayList<>();
                Chunks.decode(columns.get(i).type(), v, values);
                for (int r = 0; r < values.size() && r < Chunks.ROWS; r++) {
                    c[i][r] = values.get(r);
                    bytes[0] += countBytes ? ChunkSizes.sizeBound(columns.get(i).type(), values.get(r)) : 0;
                }
                int[] n = length.computeIfAbsent(chunk, k -> new int[1]);
                n[0] = Math.max(n[0], values.size());
            }
        }
        return c;
    }

    private long[] newChunkBytes(long chunk) {
        return new long[] {(long) ChunkSizes.CHUNK_OVERHEAD * columns.size()};
    }
}
