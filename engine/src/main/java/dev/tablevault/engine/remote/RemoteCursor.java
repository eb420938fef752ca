package dev.tablevault.engine.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceProgress;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Rows streamed from the owner: the cursor holds one connection, on which the owner sends rows frames as fast
 * as the socket takes them (the socket's buffer is the only read-ahead), so this process holds one frame of
 * rows at a time. Each block of a frame is one stored chunk, decoded when it is reached: boxed for {@link
 * #next}, straight into vectors for {@link #nextBatch}. Closed early, the cursor drops its connection, which
 * ends the owner's cursor too. If the owner goes away mid-stream, {@link #hasNext} fails with {@code
 * OWNER_CHANGED}: read again.
 */
final class RemoteCursor implements RowCursor {
    private final RemoteVault vault;
    private final Wire wire;
    private final int generation;
    private final List<Column> columns;
    private final String instanceId;
    private final InstanceProgress progress;
    /** The blocks of the last frame not decoded yet, from {@link #nextBlock}. */
    private List<RowBatches.Block> blocks = List.of();
    private int nextBlock;
    /** The current block's values, one list per column, refilled in place; when {@link #next} decoded it. */
    private final List<List<Object>> batch;
    /** The current block's values when {@link #nextBatch} decoded it, else null. */
    private ColumnVector[] vectors;
    private int at;
    private int size;
    private boolean ended;
    private boolean closed;

    private RemoteCursor(RemoteVault vault, Wire wire, int generation, Header h) {
        this.vault = vault;
        this.wire = wire;
        this.generation = generation;
        this.columns = h.columns();
        this.instanceId = h.instanceId();
        this.progress = h.progress();
        this.batch = new ArrayList<>(columns.size());
        columns.forEach(c -> batch.add(new ArrayList<>()));
    }

    /** The header the owner sends before the rows: the rows it will send in all, the partial read's progress. */
    record Header(List<Column> columns, String instanceId, long rows, InstanceProgress progress) {
    }

    static RowCursor open(RemoteVault vault, String table, ReadOptions o) {
        Owner owner = vault.owner();
        ObjectNode call = vault.call("rows", table, o);
        while (true) {
            Vault local = owner.local();
            if (local != null) {
                return local.rows(table, o);
            }
            int gen = owner.generation();
            Wire w = null;
            try {
                w = owner.borrow();
                w.send(Wire.CALL, Messages.bytes(call));
                return new RemoteCursor(vault, w, gen, header(w));
            } catch (IOException e) {
                if (w != null) {
                    Owner.quietClose(w);
                }
                owner.handover(gen); // a read: simply made again
            } catch (RemoteVault.Answered e) {
                owner.release(w);
                throw (RuntimeException) e.error;
            }
        }
    }

    static Header header(Wire w) throws IOException {
        Wire.Msg m = w.receive();
        if (m.kind() == Wire.HEADER) {
            ObjectNode h = Messages.parse(m.body());
            @SuppressWarnings("unchecked")
            List<Column> cols = (List<Column>) Messages.value(h.path("columns"),
                    new TypeReference<List<Column>>() { }.getType());
            return new Header(cols, h.path("instanceId").asText(null), h.path("rows").asLong(),
                    (InstanceProgress) Messages.value(h.path("progress"), InstanceProgress.class));
        }
        throw unexpected(m);
    }

    /** {@link #rows} into one vector builder per column. */
    static int vectorRows(Wire w, List<Column> columns, List<ColumnVector.Builder> into) throws IOException {
        Wire.Msg m = w.receive();
        if (m.kind() == Wire.ROWS) {
            return RowBatches.decodeVectors(m.body(), columns, into);
        }
        if (m.kind() == Wire.END) {
            return -1;
        }
        throw unexpected(m);
    }

    private static IOException unexpected(Wire.Msg m) throws IOException {
        if (m.kind() == Wire.ERROR) {
            throw new RemoteVault.Answered(RemoteErrors.decode(Messages.parse(m.body())));
        }
        if (m.kind() == Wire.GOODBYE) {
            throw new RemoteVault.NotRun();
        }
        return new Wire.BadFrame("unexpected frame of kind " + m.kind() + " in a stream of rows");
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public InstanceProgress progress() {
        return progress;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            throw new IllegalStateException("the cursor is closed");
        }
        while (at == size && nextBlock == blocks.size() && !ended) {
            fetch();
        }
        return at < size || nextBlock < blocks.size();
    }

    /** Receives the next rows frame (its blocks) or the end of the rows. */
    private void fetch() {
        try {
            Wire.Msg m = wire.receive();
            if (m.kind() == Wire.END) {
                ended = true;
                vault.owner().release(wire);
                return;
            }
            if (m.kind() != Wire.ROWS) {
                throw unexpected(m);
            }
            blocks = RowBatches.blocks(m.body(), columns.size());
            nextBlock = 0;
        } catch (RemoteVault.Answered e) {
            ended = true;
            vault.owner().release(wire); // the owner answered the stream with an error and waits for the next call
            throw (RuntimeException) e.error;
        } catch (IOException e) {
            ended = true;
            Owner.quietClose(wire);
            vault.owner().handover(generation);
            throw new TvStorageException(ErrorCode.OWNER_CHANGED, "the OS process that owned vault " + vault.dir()
                    + " went away while streaming rows of " + instanceId + " (" + e.getMessage() + "); another owns it"
                    + " now: read again", e);
        } catch (RuntimeException e) {
            ended = true;
            Owner.quietClose(wire); // a value this process cannot decode: the rest of the stream is dropped
            throw e;
        }
    }

    /** Decodes the next block of the frame (boxed, or into {@link #vectors}). */
    private void decodeBlock(boolean typed) {
        RowBatches.Block b = blocks.get(nextBlock++);
        try {
            if (typed) {
                List<ColumnVector.Builder> out = new ArrayList<>(columns.size());
                columns.forEach(c -> out.add(ColumnVector.builder(c.type(), b.rows())));
                b.decodeVectors(columns, out);
                vectors = out.stream().map(ColumnVector.Builder::build).toArray(ColumnVector[]::new);
            } else {
                batch.forEach(List::clear);
                b.decode(columns, batch);
                vectors = null;
            }
        } catch (RuntimeException e) {
            ended = true;
            blocks = List.of();
            Owner.quietClose(wire); // a value this process cannot decode: the rest of the stream is dropped
            throw e;
        }
        at = 0;
        size = b.rows();
    }

    @Override
    public List<Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows in " + instanceId);
        }
        if (at == size) {
            decodeBlock(false);
        }
        List<Object> row = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            row.add(vectors != null ? vectors[c].get(at) : batch.get(c).get(at));
        }
        at++;
        return row;
    }

    @Override
    public Frame nextBatch(int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows " + maxRows + " < 1");
        }
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows in " + instanceId);
        }
        if (at == size) {
            decodeBlock(true);
        }
        int n = Math.min(Math.min(maxRows, MAX_BATCH_ROWS), size - at);
        List<ColumnVector> out = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            if (vectors != null && at == 0 && n == size) {
                out.add(vectors[c]); // the whole block: its vectors are immutable, so shared
                continue;
            }
            ColumnVector.Builder b = ColumnVector.builder(columns.get(c).type(), n);
            if (vectors != null) {
                b.appendFrom(vectors[c], at, at + n);
            } else { // next() decoded this block boxed
                for (int i = at; i < at + n; i++) {
                    b.append(batch.get(c).get(i));
                }
            }
            out.add(b.build());
        }
        at += n;
        return Frame.ofVectors(columns, out);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!ended) {
            Owner.quietClose(wire);
        }
    }
}
