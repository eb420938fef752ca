package dev.tablevault.engine.remote;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.engine.data.FrameStore;
import dev.tablevault.engine.store.Chunks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The body of a rows frame: one or more blocks, each its row count, then per column its values as a cell chunk
 * ({@link Chunks}, the encoding the store uses, which bounds every length by the bytes left) behind its length.
 * As in the store, a chunk of length 0 (none stored) reads as nulls, a chunk may hold fewer values than its
 * block's rows (the rest are null) or more (dropped): so the owner streams the stored chunks as they are
 * ({@link Body}), one block per stored chunk, without decoding them, and the client decodes them straight into
 * its frame or cursor. OBJECT values travel Kryo-encoded like in the store, so the reading process needs their
 * classes: a missing one fails the read there with {@code OBJECT_CLASS}.
 */
final class RowBatches {
    /** Rows a frame of values starts with; halved while the frame would pass {@link Wire#MAX_FRAME}. */
    static final int ROWS = 4096;

    private RowBatches() {
    }

    /** Sends rows {@code [from, to)} of {@code values} (column-major) as one or more rows frames. */
    static void send(Wire w, List<Column> columns, IntFunction<List<Object>> values, int from, int to)
            throws IOException {
        byte[] body = encode(columns, values, from, to);
        if (body.length + 1 <= Wire.MAX_FRAME) {
            w.send(Wire.ROWS, body);
            return;
        }
        if (to - from == 1) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "row " + from + " takes " + body.length
                    + " bytes encoded, more than a frame between OS processes may hold (" + Wire.MAX_FRAME
                    + "); read or write it in the process that owns the vault, or split the value");
        }
        int mid = (from + to) >>> 1;
        send(w, columns, values, from, mid);
        send(w, columns, values, mid, to);
    }

    /** Sends rows {@code [from, to)} of {@code frame} as {@link #send(Wire, List, IntFunction, int, int)} does, unboxed. */
    static void send(Wire w, Frame frame, int from, int to) throws IOException {
        byte[] body = encode(frame, from, to);
        if (body.length + 1 <= Wire.MAX_FRAME) {
            w.send(Wire.ROWS, body);
            return;
        }
        if (to - from == 1) {
            send(w, frame.columns(), frame::column, from, to); // refuses the row, naming it
            return;
        }
        int mid = (from + to) >>> 1;
        send(w, frame, from, mid);
        send(w, frame, mid, to);
    }

    /** One block of rows {@code [from, to)} of {@code frame}, encoded from its vectors. */
    static byte[] encode(Frame frame, int from, int to) {
        Body b = new Body();
        byte[][] cells = new byte[frame.columnCount()][];
        for (int c = 0; c < cells.length; c++) {
            cells[c] = Chunks.encode(frame.vector(c), from, to, frame.columns().get(c).name(), from);
        }
        b.block(to - from, cells);
        return b.toByteArray();
    }

    /** One block of rows {@code [from, to)} of {@code values}. */
    static byte[] encode(List<Column> columns, IntFunction<List<Object>> values, int from, int to) {
        Body b = new Body();
        byte[][] cells = new byte[columns.size()][];
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            cells[c] = Chunks.encode(col.type(), values.apply(c), from, to, col.name(), from);
        }
        b.block(to - from, cells);
        return b.toByteArray();
    }

    /**
     * A rows frame's body being filled with stored chunks; {@link #flush} sends it. Kept between frames, so a
     * stream reuses one buffer.
     */
    static final class Body extends ByteArrayOutputStream {
        Body() {
            super(Wire.TARGET_FRAME + (64 << 10));
        }

        /** Appends a block of {@code rows} rows whose columns are {@code cells} (null: no chunk, all null). */
        void block(int rows, byte[][] cells) {
            writeInt(rows);
            for (byte[] cell : cells) {
                writeInt(cell == null ? 0 : cell.length);
                if (cell != null) {
                    write(cell, 0, cell.length);
                }
            }
        }

        /** The bytes {@link #block} would append. */
        static long blockSize(byte[][] cells) {
            long n = 4;
            for (byte[] cell : cells) {
                n += 4 + (cell == null ? 0 : cell.length);
            }
            return n;
        }

        private void writeInt(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        /** Sends what was appended as one rows frame, if anything, and empties the body. */
        void flush(Wire w) throws IOException {
            if (count > 0) {
                w.send(Wire.ROWS, buf, count);
                reset();
            }
        }
    }

    /**
     * Sends one stored chunk of every column: appended to {@code body}, flushed once it reaches {@link
     * Wire#TARGET_FRAME}; a chunk too large for a frame is decoded and sent as rows frames of fewer rows.
     */
    static void send(Wire w, Body body, List<Column> columns, FrameStore.Cursor.Chunk chunk) throws IOException {
        if (Body.blockSize(chunk.cells()) + 1 > Wire.MAX_FRAME) {
            body.flush(w);
            List<List<Object>> values = new ArrayList<>(columns.size());
            for (int c = 0; c < columns.size(); c++) {
                List<Object> col = new ArrayList<>(chunk.rows());
                byte[] cell = chunk.cells()[c];
                if (cell != null) {
                    Chunks.decode(columns.get(c).type(), cell, col);
                }
                values.add(sized(col, chunk.rows()));
            }
            send(w, columns, values::get, 0, chunk.rows());
            return;
        }
        if (body.size() + Body.blockSize(chunk.cells()) + 1 > Wire.MAX_FRAME) {
            body.flush(w);
        }
        body.block(chunk.rows(), chunk.cells());
        if (body.size() >= Wire.TARGET_FRAME) {
            body.flush(w);
        }
    }

    /**
     * Appends the rows of {@code body} to {@code into} (one list per column); returns the row count.
     *
     * @throws Wire.BadFrame for a body that breaks the framing (a value that does not decode throws as the store's
     *     decoding does)
     */
    static int decode(byte[] body, List<Column> columns, List<List<Object>> into) throws Wire.BadFrame {
        int rows = 0;
        for (Block b : blocks(body, columns.size())) {
            rows += b.decode(columns, into);
        }
        return rows;
    }

    /** {@link #decode(byte[], List, List)} straight into one vector builder per column. */
    static int decodeVectors(byte[] body, List<Column> columns, List<ColumnVector.Builder> into)
            throws Wire.BadFrame {
        int rows = 0;
        for (Block b : blocks(body, columns.size())) {
            rows += b.decodeVectors(columns, into);
        }
        return rows;
    }

    /**
     * One block of a rows frame, its framing checked: {@code rows} rows, column c's chunk at {@code body[at[c],
     * at[c] + length[c])} (length 0: none stored, all null). Its values are decoded on demand.
     */
    record Block(byte[] body, int rows, int[] at, int[] length) {
        /** Appends the block's values to {@code into} (one list per column); returns its rows. */
        int decode(List<Column> columns, List<List<Object>> into) {
            for (int c = 0; c < at.length; c++) {
                List<Object> col = into.get(c);
                int end = col.size() + rows;
                if (length[c] > 0) {
                    Chunks.decode(columns.get(c).type(), body, at[c], length[c], col);
                }
                sized(col, end);
            }
            return rows;
        }

        /** {@link #decode} straight into one vector builder per column. */
        int decodeVectors(List<Column> columns, List<ColumnVector.Builder> into) {
            for (int c = 0; c < at.length; c++) {
                ColumnVector.Builder col = into.get(c);
                int end = col.size() + rows;
                if (length[c] > 0) {
                    Chunks.decode(columns.get(c).type(), body, at[c], length[c], col, rows);
                }
                col.appendNulls(end - col.size());
            }
            return rows;
        }
    }

    /**
     * The blocks of a rows frame's body, in order (at least one).
     *
     * @throws Wire.BadFrame for a body that breaks the framing
     */
    static List<Block> blocks(byte[] body, int columns) throws Wire.BadFrame {
        ByteBuffer in = ByteBuffer.wrap(body);
        List<Block> out = new ArrayList<>();
        try {
            do {
                int rows = in.getInt();
                if (rows < 1) {
                    throw new Wire.BadFrame("a block of " + rows + " rows in a rows frame");
                }
                int[] at = new int[columns];
                int[] length = new int[columns];
                for (int c = 0; c < columns; c++) {
                    int n = in.getInt();
                    if (n < 0 || n > in.remaining()) {
                        throw new Wire.BadFrame("column chunk of " + n + " bytes with " + in.remaining() + " left in"
                                + " a rows frame of " + body.length);
                    }
                    at[c] = in.position();
                    length[c] = n;
                    in.position(in.position() + n);
                }
                out.add(new Block(body, rows, at, length));
            } while (in.hasRemaining());
        } catch (BufferUnderflowException e) {
            throw new Wire.BadFrame("rows frame of " + body.length + " bytes ends inside a block");
        }
        return out;
    }

    /** {@code col} cut or padded with nulls to {@code size} values, as a stored chunk reads. */
    private static List<Object> sized(List<Object> col, int size) {
        if (col.size() > size) {
            col.subList(size, col.size()).clear();
        }
        while (col.size() < size) {
            col.add(null);
        }
        return col;
    }
}
