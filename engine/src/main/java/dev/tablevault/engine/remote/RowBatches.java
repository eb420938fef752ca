package dev.tablevault.engine.remote;

import dev.tablevault.api.Column;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.engine.store.Chunks;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The body of a rows frame: the row count, then per column its values as a cell chunk ({@link Chunks}, the
 * encoding the store uses, which bounds every length by the bytes left) behind its length. OBJECT values
 * travel Kryo-encoded like in the store, so both processes need their classes: a missing one fails the read in
 * the process that lacks it with {@code OBJECT_CLASS}.
 */
final class RowBatches {
    /** Rows a frame starts with; halved while the frame would pass {@link Wire#MAX_FRAME}. */
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
                    + "); write it from the process that owns the vault, or split the value");
        }
        int mid = (from + to) >>> 1;
        send(w, columns, values, from, mid);
        send(w, columns, values, mid, to);
    }

    static byte[] encode(List<Column> columns, IntFunction<List<Object>> values, int from, int to) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(to - from);
            for (int c = 0; c < columns.size(); c++) {
                Column col = columns.get(c);
                byte[] chunk = Chunks.encode(col.type(), values.apply(c), from, to, col.name(), from);
                out.writeInt(chunk.length);
                out.write(chunk);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory does not fail", e);
        }
    }

    /** Appends the rows of {@code body} to {@code into} (one list per column); returns the row count. */
    static int decode(byte[] body, List<Column> columns, List<List<Object>> into) throws Wire.BadFrame {
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
            int rows = in.readInt();
            for (int c = 0; c < columns.size(); c++) {
                int n = in.readInt();
                if (n < 1 || n > in.available()) {
                    throw new Wire.BadFrame("column chunk of " + n + " bytes in a rows frame of " + body.length);
                }
                List<Object> got = new ArrayList<>(rows);
                Chunks.decode(columns.get(c).type(), in.readNBytes(n), got);
                if (got.size() != rows) {
                    throw new Wire.BadFrame("column " + c + " has " + got.size() + " values, the frame " + rows);
                }
                into.get(c).addAll(got);
            }
            return rows;
        } catch (Wire.BadFrame e) {
            throw e;
        } catch (IOException e) {
            throw new Wire.BadFrame("rows frame ends early: " + e);
        }
    }
}
