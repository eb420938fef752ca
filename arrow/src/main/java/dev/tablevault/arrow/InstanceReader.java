package dev.tablevault.arrow;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * An {@link ArrowReader} over one instance: each {@link #loadNextBatch} fills the root with the next at most
 * {@code batchRows} rows in new buffers (the last batch's are released, or kept by whoever retained them), so
 * memory holds about one batch plus one stored chunk. One thread.
 */
final class InstanceReader extends ArrowReader {
    private static final long NANOS = 1_000_000_000L;

    private final Schema schema;
    private final List<Column> columns;
    private final RowSource source;
    private final int batchRows;
    private final String owner;
    private final Runnable onClose;
    private final ColumnVector[] chunk;
    /** The bytes of the variable-width rows being copied (one column's slice of a chunk). */
    private byte[] scratch = new byte[1 << 14];
    /** The rows each batch's vectors are allocated for at first. */
    private int capacity;
    /** Position in, and size of, the chunk in hand; the row number of its first row. */
    private int pos;
    private int size;
    private long chunkRow;
    private boolean ended;
    private long done;
    /** Told the rows read so far after each batch; may be null. */
    private volatile LongConsumer progress;
    /** The first error a batch threw (a consumer behind Arrow's C interface sees only its message). */
    private volatile RuntimeException failure;

    InstanceReader(BufferAllocator allocator, Schema schema, List<Column> columns, RowSource source, int batchRows,
                   String owner, Runnable onClose) {
        super(allocator);
        this.schema = schema;
        this.columns = columns;
        this.source = source;
        this.batchRows = batchRows;
        this.owner = owner;
        this.onClose = onClose;
        this.chunk = new ColumnVector[columns.size()];
        this.capacity = Math.min(batchRows, 4_096);
    }

    /** Tells {@code listener} the rows read so far after each batch (on the thread that loads it). */
    void onProgress(LongConsumer listener) {
        this.progress = listener;
    }

    /** The first error a batch threw, or null. */
    RuntimeException failure() {
        return failure;
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
        try {
            boolean more = load();
            LongConsumer p = progress;
            if (more && p != null) {
                p.accept(done);
            }
            return more;
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
            throw e;
        }
    }

    private boolean load() throws java.io.IOException {
        VectorSchemaRoot root = getVectorSchemaRoot();
        List<FieldVector> vectors = root.getFieldVectors();
        // Fresh buffers for every batch, never the last batch's refilled: a consumer behind Arrow's C interface
        // (DuckDB) holds a reference to the buffers it was handed and may still be reading them while it asks for
        // the next batch (refilling them in place showed there as rows turned null). Arrow's own readers do the same.
        for (FieldVector v : vectors) {
            v.clear();
            v.setInitialCapacity(capacity);
            v.allocateNew();
        }
        int n = 0;
        while (n < batchRows && !ended) {
            if (pos == size) {
                chunkRow += size;
                size = Math.max(0, source.next(chunk));
                pos = 0;
                ended = size == 0;
                continue;
            }
            int k = Math.min(size - pos, batchRows - n);
            for (int c = 0; c < vectors.size(); c++) {
                fill(vectors.get(c), c, chunk[c], pos, n, k);
            }
            pos += k;
            n += k;
        }
        for (FieldVector v : vectors) {
            v.setValueCount(n);
        }
        root.setRowCount(n);
        // The next batch starts at this one's size: growing every batch from a small start cost a third of the
        // export's time (P10), while a small instance should not reserve a whole batch.
        capacity = Math.max(capacity, n);
        done += n;
        return n > 0;
    }

    /** Writes rows {@code [from, from + k)} of {@code values} into {@code v} at {@code at}, without boxing. */
    private void fill(FieldVector v, int c, ColumnVector values, int from, int at, int k) {
        while (v.getValueCapacity() < at + k) {
            v.reAlloc();
        }
        ColumnType type = columns.get(c).type();
        if (type == ColumnType.STRING || type == ColumnType.ARTIFACT || type == ColumnType.BYTES) {
            fillBytes((BaseVariableWidthVector) v, c, values, from, at, k);
            return;
        }
        for (int i = 0; i < k; i++) {
            int r = from + i;
            int to = at + i;
            if (values.isNull(r)) {
                v.setNull(to);
                continue;
            }
            switch (type) {
                case LONG -> ((BigIntVector) v).set(to, values.getLong(r));
                case DOUBLE -> ((Float8Vector) v).set(to, values.getDouble(r));
                case BOOLEAN -> ((BitVector) v).set(to, values.getBoolean(r) ? 1 : 0);
                case TIMESTAMP -> ((TimeStampNanoTZVector) v).set(to, nanos(values, r, c));
                case DURATION -> {
                    long ns = nanos(values, r, c);
                    if (v instanceof BigIntVector b) {
                        b.set(to, ns);
                    } else {
                        ((DurationVector) v).set(to, ns);
                    }
                }
                case STRING, ARTIFACT, BYTES, OBJECT ->
                        throw new IllegalStateException(type + " columns are not written here");
            }
        }
    }

    /**
     * STRING, ARTIFACT (WTF-8, which is UTF-8 unless it holds a lone surrogate) and BYTES: copies the rows' bytes
     * as they are; a lone surrogate (which Java strings allow and UTF-8 cannot hold) is refused.
     */
    private void fillBytes(BaseVariableWidthVector v, int c, ColumnVector values, int from, int at, int k) {
        int base = values.valueOffset(from);
        int len = values.valueOffset(from + k) - base;
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        values.valueBytes().get(base, scratch, 0, len);
        if (values.type() != ColumnType.BYTES) {
            refuseLoneSurrogate(values, c, from, k, base, len);
        }
        for (int i = 0; i < k; i++) {
            int r = from + i;
            if (values.isNull(r)) {
                v.setNull(at + i);
            } else {
                int off = values.valueOffset(r) - base;
                v.setSafe(at + i, scratch, off, values.valueOffset(r + 1) - base - off);
            }
        }
    }

    /** In WTF-8 a lone surrogate is a 3-byte sequence 0xED 0xA0-0xBF ..; a paired one is 4 bytes (never 0xED). */
    private void refuseLoneSurrogate(ColumnVector values, int c, int from, int k, int base, int len) {
        for (int i = 0; i + 1 < len; i++) {
            if (scratch[i] == (byte) 0xED && (scratch[i + 1] & 0xE0) == 0xA0) {
                int r = from;
                while (r + 1 < from + k && values.valueOffset(r + 1) - base <= i) {
                    r++;
                }
                String s = values.getString(r);
                throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, where(c, r) + ": the text holds a lone"
                        + " UTF-16 surrogate at index " + loneSurrogate(s) + ", which UTF-8 (Arrow's utf8) cannot"
                        + " hold; leave the column out or fix the value");
            }
        }
    }

    /** The index of the first lone surrogate in {@code s}, or -1. */
    private static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isSurrogate(ch)) {
                boolean paired = Character.isHighSurrogate(ch) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /** Row {@code r} of a TIMESTAMP or DURATION vector as Arrow's 64-bit nanoseconds. */
    private long nanos(ColumnVector values, int r, int c) {
        long seconds = values.getSeconds(r);
        int nano = values.getNanos(r);
        // The oldest value, -2^63 ns, has seconds * 10^9 below -2^63: borrow a second from the nanos first.
        boolean borrow = seconds < 0 && nano > 0;
        try {
            return Math.addExact(Math.multiplyExact(borrow ? seconds + 1 : seconds, NANOS),
                    borrow ? nano - NANOS : nano);
        } catch (ArithmeticException e) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, where(c, r) + ": " + values.get(r) + " is outside"
                    + " what Arrow's 64-bit nanoseconds hold (1677-09-21 to 2262-04-11); leave the column out or"
                    + " write values in that range", e);
        }
    }

    private String where(int c, int inChunk) {
        return owner + ", column '" + columns.get(c).name() + "' row " + (chunkRow + inChunk);
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() {
        try {
            source.close();
        } finally {
            onClose.run();
        }
    }

    @Override
    protected Schema readSchema() {
        return schema;
    }
}
