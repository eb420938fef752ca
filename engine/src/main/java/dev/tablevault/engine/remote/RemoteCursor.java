package dev.tablevault.engine.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ErrorCode;
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
 * rows at a time. Closed early, the cursor drops its connection, which ends the owner's cursor too. If the
 * owner goes away mid-stream, {@link #next} fails with {@code OWNER_CHANGED}: read again.
 */
final class RemoteCursor implements RowCursor {
    private final RemoteVault vault;
    private final Wire wire;
    private final int generation;
    private final List<Column> columns;
    private final String instanceId;
    private final InstanceProgress progress;
    /** The rows of the last frame, one list per column, refilled in place. */
    private final List<List<Object>> batch;
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

    /** Appends the next rows frame to {@code into}; returns its row count, or -1 at the end of the rows. */
    static int rows(Wire w, List<Column> columns, List<List<Object>> into) throws IOException {
        Wire.Msg m = w.receive();
        if (m.kind() == Wire.ROWS) {
            return RowBatches.decode(m.body(), columns, into);
        }
        if (m.kind() == Wire.END) {
            return -1;
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
        while (at == size && !ended) {
            fetch();
        }
        return at < size;
    }

    private void fetch() {
        try {
            batch.forEach(List::clear);
            size = 0;
            at = 0;
            int n = rows(wire, columns, batch);
            if (n < 0) {
                ended = true;
                vault.owner().release(wire);
                return;
            }
            size = n;
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

    @Override
    public List<Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows in " + instanceId);
        }
        List<Object> row = new ArrayList<>(columns.size());
        for (List<Object> col : batch) {
            row.add(col.get(at));
        }
        at++;
        return row;
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
